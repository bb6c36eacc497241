"""Settings for Fazhi, read from the environment (django-environ).

Every setting that differs between a laptop demo and a production deployment comes from an
environment variable; the defaults are the embedded demo (SQLite under ./var/). Production
fails closed: without FAZHI_DEBUG=1 there is no default secret key and ALLOWED_HOSTS must be
set, except in a local single-user installation, whose ./var/local.json (written by
``fazhi demo``, fazhi/localconfig.py) gives them. See docs/configuration.md for the full list.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

from fazhi import localconfig

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent

env = environ.Env()

DEBUG: bool = env.bool("FAZHI_DEBUG", default=False)

VAR_DIR = Path(env.str("FAZHI_VAR_DIR", default=str(Path.cwd() / "var"))).resolve()

# A local single-user installation (the directory where `fazhi demo` ran) has its own key and
# hosts in ./var/local.json (fazhi/localconfig.py); the environment still wins over it.
# FAZHI_LOCAL_CONFIG=off ignores the file (the test suite does).
_local: dict[str, object] | None = None
if env.str("FAZHI_LOCAL_CONFIG", default="on") != "off":
    try:
        _local = localconfig.read(VAR_DIR)
    except localconfig.LocalConfigError as exc:
        raise ImproperlyConfigured(str(exc)) from None
FAZHI_LOCAL_INSTALL: bool = _local is not None

if DEBUG:
    SECRET_KEY: str = env.str(
        "FAZHI_SECRET_KEY", default="django-insecure-fazhi-debug-only-never-in-production"
    )
    ALLOWED_HOSTS: list[str] = env.list(
        "FAZHI_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
    )
else:
    SECRET_KEY = env.str("FAZHI_SECRET_KEY", default=str(_local["secret_key"]) if _local else "")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "缺少设置 FAZHI_SECRET_KEY：生产环境必须提供密钥"
            "（本地试用请先在本目录运行 fazhi demo，它会生成 var/local.json）。"
        )
    ALLOWED_HOSTS = env.list(
        "FAZHI_ALLOWED_HOSTS",
        default=list(_local["allowed_hosts"]) if _local else [],  # type: ignore[call-overload]
    )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "缺少设置 FAZHI_ALLOWED_HOSTS：生产环境必须列出本站的域名，以逗号分隔。"
        )

CSRF_TRUSTED_ORIGINS: list[str] = env.list("FAZHI_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Fazhi, bottom layer first (imports point down only: DESIGN.md).
    "fazhi.core",
    "fazhi.workdays",
    "fazhi.procedures",
    "fazhi.indicators",
    "fazhi.services",
    "fazhi.disputes",
    "fazhi.oversight",
    "fazhi.enforcement",
    "fazhi.rulemaking",
    "fazhi.safety",
    "fazhi.accountability",
    "fazhi.keytasks",
    "fazhi.reports",  # the annual report: over the indicators and the domains, under the faces
    "fazhi.portal",
    "fazhi.workbench",
    "fazhi.api",
    "axes",  # login lockout (fazhi/core/lockout.py); after the apps whose templates it renders
]

# Sign-in: django-axes first refuses a locked account or address, then Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fazhi.core.csp.ContentSecurityPolicyMiddleware",  # django-csp's, see fazhi/core/csp.py
    "fazhi.core.bodylimit.BodyLimitMiddleware",  # 413 before anything reads a large body
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out sign-in with core.lockout's page
    # last, so that it sees a view's exception first: a database fault is a 503
    "fazhi.core.errorpages.DatabaseFaultMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.core.context_processors.site",
            ],
        },
    },
]


# Database: DATABASE_URL, default a SQLite file under ./var/ (WAL mode).
def _sqlite_busy_ms() -> int:
    """How long a SQLite writer waits for the one write lock before "database is locked" (503).

    30 s: under 64 concurrent submissions on two cores, 5 s let ~1 % of writes fail (and a
    session saved after its submission's commit fail with it); waiting answers them all, well
    inside gunicorn's 60 s timeout (bench/bench_load.py, docs/benchmarks.md)."""
    return env.int("FAZHI_SQLITE_BUSY_TIMEOUT_MS", default=30_000)


def _database() -> dict[str, object]:
    default_url = str(
        (_local or {}).get("database_url") or f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}"
    )
    raw = env.str("DATABASE_URL", default=default_url)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an unknown scheme is reported below, in Chinese
            db: dict[str, object] = env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several kinds; all mean a bad URL
        raise ImproperlyConfigured(f"设置 DATABASE_URL 无效（{exc}）。") from exc
    engine = str(db.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        name = str(db.get("NAME", ""))
        if name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        db["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA foreign_keys=ON; PRAGMA busy_timeout={_sqlite_busy_ms()};"
            ),
            "transaction_mode": "IMMEDIATE",
        }
        # Each server thread keeps its connection, as on PostgreSQL: opening one per request
        # (connect, four PRAGMAs, Django's SQL functions) and closing it (the last connection
        # to close checkpoints the WAL and syncs the file) cost more than the submission's
        # own statements (#19, docs/benchmarks.md).
        db["CONN_MAX_AGE"] = env.int("FAZHI_DB_CONN_MAX_AGE", default=60)
        db["CONN_HEALTH_CHECKS"] = True
    elif engine.endswith("postgresql"):
        db.setdefault("CONN_MAX_AGE", env.int("FAZHI_DB_CONN_MAX_AGE", default=60))
        db["CONN_HEALTH_CHECKS"] = True
        pool_size = env.int("FAZHI_DB_POOL_SIZE", default=0)
        if pool_size:  # Django's own pool on psycopg 3 (needs psycopg[pool]; docs/deployment.md)
            options = dict(db.get("OPTIONS") or {})  # type: ignore[call-overload]
            options["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": 10}
            db["OPTIONS"] = options
            db["CONN_MAX_AGE"] = 0  # the pool keeps the connections
        if env.bool("FAZHI_DB_PGBOUNCER", default=False):
            # transaction pooling gives each transaction any server connection: no cursor
            # may outlive its transaction (Django's advice for pgbouncer)
            db["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        raise ImproperlyConfigured(
            f"设置 DATABASE_URL 无效：不支持的数据库“{raw.split(':', 1)[0]}”，"
            "请使用 sqlite:/// 或 postgres://。"
        )
    return db


DATABASES = {"default": _database()}
if env.str("FAZHI_TEST_DB_NAME", default=""):
    # Several suites may share one PostgreSQL server: give each its own test database.
    DATABASES["default"]["TEST"] = {"NAME": env.str("FAZHI_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, the database otherwise (rate limits need a shared cache).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fazhi",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "fazhi_cache",
        }
    }

# Background jobs: django-tasks' database backend, run by `fazhi worker` (fazhi.core.tasks).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("FAZHI_STATIC_ROOT", default=str(VAR_DIR / "static")))
with contextlib.suppress(OSError):  # a read-only deployment has run collectstatic already
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve assets straight from the apps' static folders as well, so that a fresh checkout
# works without collectstatic; production still runs collectstatic for compressed files.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env.str("FAZHI_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# Uploads and bodies: the public site refuses anything larger (issue 6 tightens per form).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("FAZHI_MAX_BODY_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "fazhi.core.errorpages.csrf_failure"  # Chinese, in the site's layout
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp, fazhi/core/csp.py): scripts, styles, fonts and requests
# from this site only; no inline script anywhere; images also as data: URLs (the report's
# charts). The admin and the API docs pages get inline styles (never scripts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    # a local installation is served over plain http on 127.0.0.1
    SESSION_COOKIE_SECURE = env.bool("FAZHI_SECURE_COOKIES", default=not FAZHI_LOCAL_INSTALL)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # HSTS: browsers that reached the site over HTTPS keep to HTTPS for a year. Sent on HTTPS
    # requests only; behind a proxy that ends TLS set FAZHI_PROXY_HTTPS_HEADER=1 so that Django
    # knows the request was HTTPS. Off in a local installation (plain http on 127.0.0.1).
    SECURE_HSTS_SECONDS = env.int(
        "FAZHI_HSTS_SECONDS", default=0 if FAZHI_LOCAL_INSTALL else 365 * 24 * 3600
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("FAZHI_HSTS_INCLUDE_SUBDOMAINS", default=False)
if env.bool("FAZHI_PROXY_HTTPS_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Reverse proxies in front of the app that append to X-Forwarded-For (fazhi.core.addresses):
# 0 trusts no header and uses REMOTE_ADDR.
FAZHI_TRUSTED_PROXY_COUNT = env.int("FAZHI_TRUSTED_PROXY_COUNT", default=0)

# Login lockout (django-axes, fazhi.core.lockout): FAZHI_LOGIN_FAILURE_LIMIT wrong passwords for
# one account, or from one client address, lock that account or address for
# FAZHI_LOGIN_LOCKOUT_MINUTES; a correct password does not get through meanwhile.
AXES_FAILURE_LIMIT = env.int("FAZHI_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("FAZHI_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account, per address
AXES_RESET_ON_SUCCESS = True  # a successful sign-in clears that account's and address's count
AXES_CLIENT_IP_CALLABLE = "fazhi.core.addresses.client_ip"  # an IP or None: inet on PostgreSQL
AXES_LOCKOUT_CALLABLE = "fazhi.core.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log already (core.signals)
AXES_HTTP_RESPONSE_CODE = 429

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Chinese messages, and a deeply nested body is a 400, not a RecursionError (a 500)
    "DEFAULT_PARSER_CLASSES": [
        "fazhi.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fazhi 法治 API",
    "DESCRIPTION": "法治政府建设工作平台的 REST 接口（staff）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs pages are for staff and client systems, like the API they
    # describe (docs/api.md, "Who may read the schema"): a signed-in user without a unit and
    # role is refused as on the API; Open311 has its own public discovery.
    "SERVE_PERMISSIONS": ["fazhi.api.permissions.IsStaffMember"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # 401, 403, 503 on every operation and 404 on every object, with the one error body
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "fazhi.api.schema.document_errors",
    ],
}

# The site's own settings.
FAZHI_MAX_ATTACHMENT_BYTES = env.int("FAZHI_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# An import file uploaded in the workbench (imported by fazhi worker).
FAZHI_MAX_IMPORT_BYTES = env.int("FAZHI_MAX_IMPORT_BYTES", default=256 * 1024 * 1024)
# Locally set time limits (hotline tiers, complaint and mailbox periods …), as JSON:
# {"business_complaint.conclude": {"length": 10}}. Statutory limits cannot be overridden.
FAZHI_TIME_LIMIT_OVERRIDES: dict[str, dict[str, object]] = env.json(
    "FAZHI_TIME_LIMIT_OVERRIDES", default={}
)
# months each form of enforcement record is kept, e.g. {"video": 12} (docs/enforcement.md)
FAZHI_ENFORCEMENT_RETENTION_MONTHS: dict[str, int] = env.json(
    "FAZHI_ENFORCEMENT_RETENTION_MONTHS", default={}
)
# The name of the local rules behind configurable limits (hotline tiers, the help window), shown
# beside their deadlines, e.g. "《铁西区“办不成事”反映窗口工作制度》"; default 本地规定.
FAZHI_LOCAL_RULE_NAME = env.str("FAZHI_LOCAL_RULE_NAME", default="")
# How long the dashboard keeps a scope's figures (seconds; 0 = always compute).
FAZHI_DASHBOARD_CACHE_SECONDS = env.int("FAZHI_DASHBOARD_CACHE_SECONDS", default=60)
# Public POSTs allowed per client address per minute (portal forms, Open311, public API).
FAZHI_PUBLIC_RATE_PER_MINUTE = env.int("FAZHI_PUBLIC_RATE_PER_MINUTE", default=30)
FAZHI_SITE_NAME = env.str("FAZHI_SITE_NAME", default="法治政府建设工作平台")
# The district the public site speaks for (its header and footer); default the root unit's name.
FAZHI_DISTRICT_NAME = env.str("FAZHI_DISTRICT_NAME", default="")
FAZHI_ROOT_DIVISION_CODE = env.str("FAZHI_ROOT_DIVISION_CODE", default="220302")
# The submitter's progress notices (fazhi/portal/notices.py): an SMS gateway taking POST
# {"to", "text"} as JSON, or a directory where messages are written (a local installation's
# outbox); email through Django's email backend, configured by FAZHI_EMAIL_URL
# (smtp://user:password@host:25, smtp+tls://…). Without them a notice is kept as 未发送.
FAZHI_SMS_URL = env.str("FAZHI_SMS_URL", default="")
FAZHI_SMS_OUTBOX = env.str(
    "FAZHI_SMS_OUTBOX", default=str(VAR_DIR / "outbox") if FAZHI_LOCAL_INSTALL else ""
)
FAZHI_EMAIL_ENABLED = bool(env.str("FAZHI_EMAIL_URL", default="")) or FAZHI_LOCAL_INSTALL
if env.str("FAZHI_EMAIL_URL", default=""):
    vars().update(env.email_url("FAZHI_EMAIL_URL"))
elif FAZHI_LOCAL_INSTALL:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "outbox" / "mail")
DEFAULT_FROM_EMAIL = env.str("FAZHI_EMAIL_FROM", default="noreply@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("FAZHI_LOG_LEVEL", default="WARNING")},
}
