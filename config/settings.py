"""One settings module; every deployment difference comes from an environment variable.

SQLite is the embedded default so that `make demo` runs with nothing else installed;
production sets DATABASE_URL to PostgreSQL (see docs/deployment.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("LVZHI_DEBUG", False)
# DEVELOPMENT ONLY: without LVZHI_SECRET_KEY, and outside DEBUG, nothing starts (lvzhi.core.checks).
DEV_SECRET_KEY = "dev-only-not-secret-" + "x" * 40
SECRET_KEY = env("LVZHI_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = [h for h in env("LVZHI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("LVZHI_CSRF_TRUSTED_ORIGINS").split(",") if o]

# SM4 key for personal data (phones, ID numbers): 32 hex digits, its own secret, never derived
# from SECRET_KEY. Unset, only DEBUG and the tests use the marked development key
# (lvzhi.core.crypto.DEV_SM4_KEY_HEX); production refuses to start (lvzhi.core.checks).
SM4_KEY_HEX = env("LVZHI_SM4_KEY", "")

# Event-chain HMAC-SM3 key, kept outside the database (lvzhi.cases.events.audit_key): 64+ hex
# digits in the variable, or a file holding them. Unset, only DEBUG and tests get a marked dev key.
LVZHI_AUDIT_KEY = env("LVZHI_AUDIT_KEY", "")
LVZHI_AUDIT_KEY_FILE = env("LVZHI_AUDIT_KEY_FILE", "")
# Signed chain checkpoints, one JSON line each, opened O_APPEND (production: chattr +a).
LVZHI_AUDIT_CHECKPOINT_FILE = env("LVZHI_AUDIT_CHECKPOINT_FILE", str(BASE_DIR / "var" / "audit-checkpoints.log"))

INSTALLED_APPS = [
    "lvzhi.core.apps.LvzhiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    # Third-party apps by configs that name them in Chinese (lvzhi/core/thirdparty_apps.py).
    "lvzhi.core.thirdparty_apps.BackgroundTasksConfig",
    "lvzhi.core.thirdparty_apps.LoginSecurityConfig",
    "django_otp",
    "lvzhi.core.thirdparty_apps.AuthenticatorConfig",
    "lvzhi.core",
    "lvzhi.deputies",
    "lvzhi.cases",
    "lvzhi.suggestions",
    "lvzhi.keytasks",
    "lvzhi.supervision",
    "lvzhi.votes",
    "lvzhi.projects",
    "lvzhi.budget",
    "lvzhi.legislation",
    "lvzhi.meetings",  # after legislation: its demo links the year's readings
    "lvzhi.filing",
    "lvzhi.requests",
    "lvzhi.reports",
    "lvzhi.portal",
    "lvzhi.api",
    "lvzhi.assist",
    "lvzhi.search",
    "lvzhi.demo",  # its commands only (build_scale_data); no models
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "lvzhi.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lvzhi.core.middleware.MethodNotAllowedPage",
    "lvzhi.core.middleware.IdleTimeoutMiddleware",
    "lvzhi.core.middleware.RequireOTPMiddleware",
    "lvzhi.core.middleware.RequirePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lvzhi.core.context_processors.navigation",
            ],
        },
    }
]


def database_from_url(url: str) -> dict:
    """Parse postgres://user:pass@host:port/name (no extra dependency for one line)."""
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL 只支持 postgres://，收到 {parts.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Persistent connections (each request used to pay a new connection), checked before
        # reuse so a dropped connection is replaced instead of failing the request.
        "CONN_MAX_AGE": int(env("LVZHI_DB_CONN_MAX_AGE", "600")),
        "CONN_HEALTH_CHECKS": True,
        # No JIT: a page's queries are short, and at a million cases their cost estimates pass
        # jit_above_cost, so PostgreSQL spent 3.1 s compiling a to-do count that runs in 0.5 s.
        # work_mem 16 MB (default 4): a frequent search word's bitmap of ~200,000 documents
        # went lossy at 4 MB and every row of a lossy page was segmented again: 32 s → 0.55 s.
        "OPTIONS": {"options": "-c jit=off -c work_mem=16MB"},
        "TEST": {"NAME": unquote(parts.path.lstrip("/")) + "_test"},
    }


if env("DATABASE_URL"):
    DATABASES = {"default": database_from_url(env("DATABASE_URL"))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("LVZHI_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # IMMEDIATE takes the write lock at BEGIN, so two concurrent transitions queue
            # instead of one failing with "database is locked" half-way.
            # The PRAGMAs run once per connection, and a connection now lives across requests
            # (CONN_MAX_AGE): WAL is a property of the file, synchronous of the connection.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30,
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
            "CONN_MAX_AGE": int(env("LVZHI_DB_CONN_MAX_AGE", "600")),
            "CONN_HEALTH_CHECKS": True,
            # A file per test process so parallel runs never share one; pytest-django deletes it.
            "TEST": {"NAME": env("LVZHI_SQLITE_TEST_PATH", str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3"))},
        }
    }

# A streaming read replica of the PostgreSQL primary: dashboards, reports and exports read there
# (config/db_router.py, docs/deployment.md). In tests it mirrors default's test database.
if env("DATABASE_REPLICA_URL") and env("DATABASE_URL"):
    DATABASES["replica"] = {**database_from_url(env("DATABASE_REPLICA_URL")), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The password policy (等保): lengths, classes and history come from the security administrator's
# 安全策略 (lvzhi.core.models.SecurityPolicy); every message is Chinese (lvzhi/core/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "lvzhi.core.passwords.MinimumLengthValidator"},
    {"NAME": "lvzhi.core.passwords.CharacterClassesValidator"},
    {"NAME": "lvzhi.core.passwords.UsernameValidator"},
    {"NAME": "lvzhi.core.passwords.CommonPasswordValidator"},
    {"NAME": "lvzhi.core.passwords.HistoryValidator"},
]
# Days a password lasts before the next login must change it (0 = never); the 安全策略 may override.
PASSWORD_MAX_AGE_DAYS = int(env("LVZHI_PASSWORD_MAX_AGE_DAYS", "90"))
# Days an API token lasts (lvzhi.core.tokens); the 安全策略 may override.
API_TOKEN_DAYS = int(env("LVZHI_API_TOKEN_DAYS", "30"))
OTP_TOTP_ISSUER = "履职平台"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the security administrator never sees a device's secret
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account after 5 failed logins for 30 minutes (等保 二级 identification rules), counted
# per username AND source address: failures from one address do not lock the owner out elsewhere.
AXES_FAILURE_LIMIT = int(env("LVZHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "lvzhi.core.throttle.client_ip"
# Behind nginx (deploy/nginx.conf) the client is the last X-Forwarded-For entry; 0 = use REMOTE_ADDR.
TRUSTED_PROXY_HOPS = int(env("LVZHI_TRUSTED_PROXY_HOPS", "1"))
# From the 3rd failure on, refuse attempts for 10 s, then 20 s... until the lockout (0 = no delay).
LOGIN_DELAY_AFTER_FAILURES = 3
LOGIN_DELAY_SECONDS = int(env("LVZHI_LOGIN_DELAY_SECONDS", "10"))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("LVZHI_AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_COOKIE_AGE = 8 * 3600
IDLE_TIMEOUT_SECONDS = int(env("LVZHI_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_HTTPONLY = True
# Behind TLS (LVZHI_HTTPS=1 in production): nginx terminates it (deploy/nginx.conf) and sets
# X-Forwarded-Proto itself, overwriting any the client sent, and gunicorn listens on 127.0.0.1
# only, so the header can be trusted. Browsers then keep to HTTPS for a year (HSTS).
HTTPS = env_bool("LVZHI_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(env("LVZHI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading commits the whole registered domain in browsers' built-in lists: the domain
    # owner's decision, not this application's (LVZHI_HSTS_PRELOAD=1 once they have made it).
    SECURE_HSTS_PRELOAD = env_bool("LVZHI_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("LVZHI_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "lvzhi.core.errors.csrf_failure"  # "页面已过期", not Django's developer page

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Collected files only when a deployment runs collectstatic; otherwise WhiteNoise serves from
# the finders (node_modules and static/) and must not look for a missing folder.
STATIC_ROOT = BASE_DIR / "staticfiles" if env_bool("LVZHI_COLLECTSTATIC", False) else None
# Front-end libraries come from npm (package-lock.json) and are served from node_modules.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if not DEBUG and env_bool("LVZHI_COLLECTSTATIC", False)
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("LVZHI_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Uploads (docs/security.md, Hostile files). A request keeps at most 2.5 MB in memory: a
# larger file goes to a temporary file, the form fields of one request may not exceed it.
# lvzhi.documents.uploads refuses a file by its size before reading it, then by its content;
# nginx (deploy/nginx.conf, client_max_body_size) refuses a body above 12 MB first.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
LVZHI_UPLOAD_MAX_BYTES = int(env("LVZHI_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))  # one file
# A ZIP-based upload (.xlsx, .docx, .ofd) is refused before it is opened when it would unpack
# to more than this, has a member unpacking above RATIO times its packed size, or too many.
LVZHI_UPLOAD_XLSX_MAX_UNCOMPRESSED = int(env("LVZHI_UPLOAD_XLSX_MAX_UNCOMPRESSED",
                                             str(50 * 1024 * 1024)))
LVZHI_UPLOAD_XLSX_MAX_RATIO = int(env("LVZHI_UPLOAD_XLSX_MAX_RATIO", "100"))
LVZHI_UPLOAD_XLSX_MAX_MEMBERS = int(env("LVZHI_UPLOAD_XLSX_MAX_MEMBERS", "1000"))
# An imported workbook: cells of all its sheets (and its shared strings), each at most this.
LVZHI_UPLOAD_XLSX_MAX_CELLS = int(env("LVZHI_UPLOAD_XLSX_MAX_CELLS", "500000"))

# Content Security Policy: no inline script or style anywhere (django-csp 4 format).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

REST_FRAMEWORK = {
    # Hashed, expiring tokens (Authorization: Token <key>), and the page session only once its
    # TOTP code was given and its password need not be changed (lvzhi/api/authentication.py).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lvzhi.api.authentication.ApiTokenAuthentication",
        "lvzhi.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "lvzhi.api.errors.exception_handler",
    # JSON in real UTF-8 with its charset named (lvzhi/api/renderers.py); the browsable API as before.
    "DEFAULT_RENDERER_CLASSES": ["lvzhi.api.renderers.UTF8JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "履职平台 API",
    "DESCRIPTION": "人大常委会履职平台接口：议案建议的提交、交办、答复、评价。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Two apps' fields are both named "state": name each choice set after what it belongs to.
    "ENUM_NAME_OVERRIDES": {"MeetingStateEnum": "lvzhi.meetings.models.MeetingState",
                            "BallotStateEnum": "lvzhi.votes.models.BoxState"},
}

TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LVZHI_LOG_LEVEL", "WARNING")},
}

# The real public data shipped in data/ (gzip CSV, see data/README.md); the demo is written from it.
# LVZHI_DATA_DIR points at another folder holding the same files (lvzhi/realdata.py reads the same variable).
DATA_DIR = Path(env("LVZHI_DATA_DIR") or str(BASE_DIR / "data"))
