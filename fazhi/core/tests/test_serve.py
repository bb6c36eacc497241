"""``fazhi serve`` (gunicorn, fazhi/gunicorn_conf.py): it refuses to start a broken site, serves
the app and its static files, and its access log never holds a query string; the body limit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.test import RequestFactory

from fazhi.core.bodylimit import BodyLimitMiddleware, limit_for


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FAZHI_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        FAZHI_VAR_DIR=str(tmp_path / "var"),
        FAZHI_SECRET_KEY="k" * 50,
        FAZHI_ALLOWED_HOSTS="127.0.0.1,localhost",
        FAZHI_SECURE_COOKIES="0",
        FAZHI_LOCAL_CONFIG="off",
    )
    env.update(extra)
    return env


def _fazhi(tmp_path: Path, *args: str, timeout: int = 120, **env: str):
    return subprocess.run(  # noqa: S603 our own command with fixed arguments
        [sys.executable, "-m", "fazhi", *args],
        capture_output=True,
        text=True,
        env=_env(tmp_path, **env),
        cwd=tmp_path,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 180) -> None:
    end = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 a local test server
                return
        except urllib.error.HTTPError as answered:
            answered.close()
            return  # it answers
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.3)


def test_serve_refuses_debug_an_unmigrated_database_and_a_missing_key(tmp_path):
    debug = _fazhi(tmp_path, "serve", FAZHI_DEBUG="1")
    assert debug.returncode != 0 and "FAZHI_DEBUG" in debug.stderr and "runserver" in debug.stderr
    unmigrated = _fazhi(tmp_path, "serve", "--check")
    assert unmigrated.returncode != 0 and "fazhi migrate" in unmigrated.stderr
    env = _env(tmp_path)
    del env["FAZHI_SECRET_KEY"]
    no_key = subprocess.run(
        [sys.executable, "-m", "fazhi", "serve"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert no_key.returncode == 2 and "FAZHI_SECRET_KEY" in no_key.stderr
    assert "Traceback" not in no_key.stderr


def test_serve_answers_serves_static_files_and_logs_no_query_string(tmp_path):
    assert _fazhi(tmp_path, "migrate", "--no-input", "-v", "0", timeout=300).returncode == 0
    check = _fazhi(tmp_path, "serve", "--check")
    assert check.returncode == 0 and "gunicorn" in check.stdout
    port = free_port()
    log = tmp_path / "access.log"
    errors = (tmp_path / "errors.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 our own command with fixed arguments
        [sys.executable, "-m", "fazhi", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=_env(tmp_path, FAZHI_ACCESS_LOG=str(log)),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=errors,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/")
        with urllib.request.urlopen(f"{base}/", timeout=10) as home:  # noqa: S310 local
            assert home.status == 200 and "text/html" in home.headers["Content-Type"]
        with urllib.request.urlopen(f"{base}/static/fazhi/fazhi.css", timeout=10) as css:  # noqa: S310
            assert css.status == 200 and "text/css" in css.headers["Content-Type"]
            assert b"{" in css.read()
        try:
            with urllib.request.urlopen(f"{base}/track/?number=X1&code=SECRET4242", timeout=10):  # noqa: S310
                pass
        except urllib.error.HTTPError as answered:
            answered.close()  # whatever it answers, the log must not hold the code
        # a body announced too large is refused before it is sent (the client stops there)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(
                b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/octet-stream\r\n"
                b"Content-Length: 12582912\r\n\r\n" + b"x" * 1024
            )
            assert raw.recv(64).startswith(b"HTTP/1.1 413 ")
        time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        errors.close()
    text = log.read_text()
    assert '"GET /track/ HTTP/1.1" ' in text
    assert '"GET /static/fazhi/fazhi.css HTTP/1.1" 200' in text
    assert "SECRET4242" not in text and "code=" not in text and "?" not in text


def test_the_body_limit_per_path(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    settings.FAZHI_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
    settings.FAZHI_MAX_IMPORT_BYTES = 256 * 1024 * 1024
    middleware = BodyLimitMiddleware(lambda request: "passed")  # type: ignore[arg-type,return-value]
    rf = RequestFactory()

    def post(path: str, length: int, **extra: str):
        request = rf.post(path, data=b"", content_type="application/octet-stream", **extra)
        request.META["CONTENT_LENGTH"] = str(length)
        return middleware(request)

    assert post("/track/", 1000) == "passed"
    too_big = post("/track/", limit_for("/track/") + 1)
    assert too_big.status_code == 413 and "请求过大" in too_big.content.decode()
    assert post("/workbench/io/import/", 200 * 1024 * 1024) == "passed"
    assert post("/workbench/io/import/", 300 * 1024 * 1024).status_code == 413
    api = post("/api/v1/matters/", 300 * 1024 * 1024)
    assert api.status_code == 413 and api["Content-Type"] == "application/json"
    chunked = rf.post("/track/", data=b"", content_type="text/plain")
    chunked.META["CONTENT_LENGTH"] = ""
    chunked.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    assert middleware(chunked).status_code == 411
    bad = rf.post("/track/", data=b"", content_type="text/plain")
    bad.META["CONTENT_LENGTH"] = "lots"
    assert middleware(bad).status_code == 400


def test_healthz_answers_without_the_database(client):
    # no django_db mark: any query would raise "Database access not allowed"
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.content == b"ok"
