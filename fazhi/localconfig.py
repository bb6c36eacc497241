"""The local configuration of a single-user installation: ``./var/local.json``.

``fazhi demo`` writes it the first time it runs in a directory: a generated secret key, the
local host names, and the mark that this is a local single-user installation (cookies over
plain http on 127.0.0.1). Every later ``fazhi`` command run in that directory reads it
(``fazhi/settings.py``), so the demo's directory is a working installation. Environment
variables still win over it. Where no such file exists, production settings fail closed as
before: a secret key and the allowed hosts must come from the environment.

This module is read before Django is set up: it imports nothing of Django.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from pathlib import Path
from typing import Any

FILE_NAME = "local.json"
KIND = "local-single-user"
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
NOTE = (
    "本地单用户安装的配置（由 fazhi demo 生成）。在这个目录运行的 fazhi 命令都读取它；"
    "环境变量优先。不要用于对外服务的生产环境：生产环境请用环境变量设置 FAZHI_SECRET_KEY "
    "和 FAZHI_ALLOWED_HOSTS（docs/deployment.md）。"
)


class LocalConfigError(Exception):
    """The file exists but cannot be used (plain Chinese message)."""


def var_dir(environ: os._Environ[str] | dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("FAZHI_VAR_DIR") or (Path.cwd() / "var")).resolve()


def path_in(directory: Path) -> Path:
    return directory / FILE_NAME


def read(directory: Path) -> dict[str, Any] | None:
    """The local configuration in ``directory``, or None where there is none."""
    path = path_in(directory)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LocalConfigError(f"无法读取本地配置 {path}（{exc.strerror}）。") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise LocalConfigError(
            f"本地配置 {path} 不是有效的 JSON，请改正或删除后重新运行 fazhi demo。"
        ) from None
    if not isinstance(data, dict) or data.get("installation") != KIND:
        raise LocalConfigError(f'本地配置 {path} 缺少 "installation": "{KIND}"，未使用。')
    key = data.get("secret_key")
    if not isinstance(key, str) or len(key) < 32:
        raise LocalConfigError(f"本地配置 {path} 的 secret_key 缺失或过短（至少32个字符）。")
    hosts = data.get("allowed_hosts")
    if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) for h in hosts):
        raise LocalConfigError(f"本地配置 {path} 的 allowed_hosts 应为非空的主机名列表。")
    return data


def ensure(directory: Path, *, database_url: str | None = None) -> tuple[Path, bool]:
    """Write the local configuration in ``directory`` unless one exists: (path, written)."""
    path = path_in(directory)
    if path.exists():
        read(directory)  # a broken file is reported, never silently replaced
        return path, False
    directory.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {
        "installation": KIND,
        "note": NOTE,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "secret_key": secrets.token_urlsafe(50),
        "allowed_hosts": list(LOCAL_HOSTS),
    }
    if database_url:
        data["database_url"] = database_url
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the key is a secret
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    tmp.replace(path)
    return path, True
