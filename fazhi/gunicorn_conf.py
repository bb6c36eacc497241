"""gunicorn's configuration for ``fazhi serve`` (docs/deployment.md), read from the environment.

``fazhi serve`` runs ``gunicorn --config python:fazhi.gunicorn_conf fazhi.wsgi:application``;
a deployment that runs gunicorn itself passes the same ``--config``. Every figure below can be
changed with the variable named beside it (docs/configuration.md, "The production server").

The access log names the client, the method, the **path without its query string**, the status,
the size and the time taken. No query string, no referrer and no header that might carry a
citizen's verification code (``/track/?code=…`` on the public site) is ever written.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"fazhi serve: 设置 {name} 应为整数，现为“{value}”。") from None


# Where and how many: processes × threads answer requests at once.
bind = [os.environ.get("FAZHI_BIND", "127.0.0.1:8000")]
workers = _int("FAZHI_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "gthread"
threads = _int("FAZHI_WEB_THREADS", 4)
backlog = 2048

# Time limits: a request that takes longer than FAZHI_WEB_TIMEOUT seconds is ended (long work
# belongs in fazhi worker); a restart waits for running requests this long.
timeout = _int("FAZHI_WEB_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# A worker process is replaced after this many requests (bounded memory over months).
max_requests = _int("FAZHI_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10

# Request limits (the body's size is limited by fazhi.core.bodylimit, per path).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Logs: the access log without query strings (see above); errors to stderr.
accesslog = os.environ.get("FAZHI_ACCESS_LOG", "-")
errorlog = os.environ.get("FAZHI_ERROR_LOG", "-")
loglevel = os.environ.get("FAZHI_LOG_LEVEL", "info").lower()
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# Reverse proxies allowed to set X-Forwarded-Proto (the one in front of the app).
forwarded_allow_ips = os.environ.get("FAZHI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's control socket (a management interface) is not used: nothing listens but HTTP.
control_socket_disable = True
proc_name = "fazhi"
# heartbeat files in memory, not on a disk that may stall (gunicorn's advice for containers)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 tmpfs, gunicorn's own use  # nosec B108
