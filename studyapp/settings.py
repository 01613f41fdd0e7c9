"""Settings for studyapp: one file, every environment variable read here with a safe development default.

Environment variables:
    DJANGO_DEBUG          "1" (default) for development, "0" in production.
    DJANGO_SECRET_KEY     required when DJANGO_DEBUG=0.
    DJANGO_ALLOWED_HOSTS  comma-separated host names (default: localhost names when debugging).
    DATABASE_URL          default sqlite:///<project>/db.sqlite3; postgres://user:pass@host:5432/name.
    REDIS_URL             channel layer for the live quiz across processes; in-memory when unset.
    STUDYAPP_CONTENT_DIR  the course folder (default <project>/content).
    STUDYAPP_REQUEST_THREADS  HTTP requests one process works on at once (default 1 on SQLite, 8 on PostgreSQL).
    DJANGO_STATIC_ROOT    where collectstatic puts the static files (default <project>/staticfiles).
    DJANGO_TRUSTED_PROXY_COUNT  reverse proxies in front of the app that append to X-Forwarded-For (default 0).
    STUDYAPP_TASKS        background tasks: "immediate" (default; run at once) or "database" (django-tasks-db's queue).
    STUDYAPP_SITE_URL     the site's address for links in mail (default http://127.0.0.1:8000 when debugging).
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "channels",
    "django_tasks_db",  # the task queue's table, whichever backend runs: switching is then only STUDYAPP_TASKS
    "studyapp.core",
    "studyapp.accounts",
    "studyapp.questions",
    "studyapp.content",
    "studyapp.srs",
    "studyapp.quizzes",
    "studyapp.pricing",
    "studyapp.classrooms",
    "studyapp.live",
    "studyapp.authoring",
]

MIDDLEWARE = [
    "studyapp.core.middleware.FormCharsetMiddleware",  # first: a form body in another charset is a 400 before anything reads it
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "studyapp.core.middleware.UserTimezoneMiddleware",
    "studyapp.core.middleware.HtmxMessagesMiddleware",
    "studyapp.core.middleware.PrivateCacheMiddleware",
    "studyapp.core.busy.DatabaseBusyMiddleware",  # late, so it sees a view's "database is locked" first: a 503
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a refused log in into the lockout page
]

ROOT_URLCONF = "studyapp.urls"
ASGI_APPLICATION = "studyapp.asgi.application"
WSGI_APPLICATION = "studyapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "studyapp.core.pagecache.markers",  # after csp: visitors' cached pages (core.pagecache)
            ],
            "builtins": ["django_htmx.templatetags.django_htmx", "studyapp.core.templatetags.urls"],  # urls: {% url %}, each result kept
        },
    }
]

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,  # PostgreSQL pools instead (below); SQLite keeps one per request thread (below)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 10, "timeout": 10}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the loader writes; IMMEDIATE makes write transactions take the
    # lock up front instead of failing half-way with "database is locked". Django's backend, plus
    # one first-come, first-served queue for the process's write transactions (studyapp.core.sqlite).
    DATABASES["default"]["ENGINE"] = "studyapp.core.sqlite"
    # Persistent: HTTP requests run on a fixed pool of long-lived threads (studyapp.core.concurrency),
    # each keeping its connection, so a request does not open and set up a new one.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# HTTP requests one server process works on at once: the threads of studyapp.core.concurrency's pool;
# the others wait their turn. At least 1; on PostgreSQL keep it under the pool's max_size (one more
# connection is the live quiz's database thread). By default 1 on SQLite, as a WSGI server's sync
# worker: its queries are calls inside the process, so a second thread only hands the interpreter
# lock back and forth (15 % more CPU a request with 8, and a wider tail: docs/performance.md); 8 on
# PostgreSQL, whose queries are round trips another thread can work through.
_DEFAULT_THREADS = "1" if DATABASES["default"]["ENGINE"] == "studyapp.core.sqlite" else "8"
STUDYAPP_REQUEST_THREADS = int(os.environ.get("STUDYAPP_REQUEST_THREADS", _DEFAULT_THREADS))

REDIS_URL = os.environ.get("REDIS_URL", "")
CHANNEL_LAYERS = {
    "default": (
        # socket_timeout None: the layer waits on Redis with a blocking pop (BZPOPMIN, 5 s); redis-py 8's
        # default read timeout of 5 s would cut that wait and close every idle socket with a 1011
        # (channels_redis issue 422), which tests/live/test_processes.py caught. max_connections: redis-py's
        # pool holds 100 by default, and 2,000 phones leaving a game at once (group_discard each) ran
        # out of it ("Too many connections", bench/live_fanout.py); Redis itself allows 10,000 clients.
        {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": None, "max_connections": 1000}]},
        }
        if REDIS_URL
        else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    )
}
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # Room for a class: its sessions, each learner's version, the cards and questions the study
        # screens show (content.cached), the kept pages. At Django's default of 300 a class of 50
        # pushed out each other's sessions and the cards they were about to see.
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}
    )
}

# Sessions are read from the cache and written through to the database: one query less per signed-in
# request. The cache is Redis when REDIS_URL is set, which several processes need anyway.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

STUDYAPP_CONTENT_DIR = Path(os.environ.get("STUDYAPP_CONTENT_DIR", BASE_DIR / "content"))

# The built-in mock exam (studyapp.quizzes.services.mock_quiz): CLF-C02's format unless overridden
# here, key by key: "questions" (65), "minutes" (90), "grace_seconds" (10, answers still taken after
# the clock for slow networks) and "weights" (exam domain -> share; default the exam guide's
# 24/30/34/12 %). The tests shorten the clock; a school could weight the domains its course covers.
STUDYAPP_MOCK: dict[str, object] = {}

# ---------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# AxesStandaloneBackend first: it refuses a locked-out log in before a password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "studyapp.accounts.backends.UserBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "content:home"
LOGOUT_REDIRECT_URL = "content:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},  # ASVS 2.1.1
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Development saves mail (password resets) as .eml files in var/mail/ (ignored by git) and prints
# each message's links whole, on lines of their own (accounts.mail); production sends it over SMTP.
MAILERS = {
    "default": (
        {"BACKEND": "studyapp.accounts.mail.DevelopmentEmailBackend", "OPTIONS": {"file_path": str(BASE_DIR / "var" / "mail")}}
        if DEBUG
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
                "username": os.environ.get("DJANGO_EMAIL_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
            },
        }
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "studyapp@localhost")

# Failed log ins (/accounts/login/ and /admin/login/, anything that calls authenticate()) are counted
# by django-axes in the database, per username and, separately, per client address: 5 failures lock
# that username, or that address, for 15 minutes after the last failure; a success clears them. A
# refused attempt does not extend the lock, so the time the 429 page announces holds. See
# docs/security.md ("Rate limits") and studyapp.accounts.lockout.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "studyapp.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "studyapp.accounts.lockout.client_address"
# The client's address is REMOTE_ADDR unless the app sits behind reverse proxies that append the
# address they saw to X-Forwarded-For: then say how many (usually 1), and the address that many
# hops from the right is used. Never set it without such a proxy: a client could pick its address.
STUDYAPP_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

# ---------------------------------------------------------------------------
# Background tasks (django.tasks): the class notifications' email digest, roster invitations
# ---------------------------------------------------------------------------
# "immediate" (the default: development and tests run each task at once, in the process that
# enqueues it, so `make run` needs no worker) or "database": django-tasks-db stores each task as a row
# and `manage.py db_worker`, run beside the ASGI workers, takes and runs them; a task enqueued before
# a restart is still a row after it, and runs then. See docs/architecture.md ("Background tasks").
TASK_BACKENDS = {"immediate": "django.tasks.backends.immediate.ImmediateBackend", "database": "django_tasks_db.DatabaseBackend"}
STUDYAPP_TASKS = os.environ.get("STUDYAPP_TASKS", "immediate").strip().lower()
if STUDYAPP_TASKS not in TASK_BACKENDS:
    raise RuntimeError(f"STUDYAPP_TASKS must be one of {', '.join(TASK_BACKENDS)}, not {STUDYAPP_TASKS!r}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[STUDYAPP_TASKS]}}
# Mail sent by a task has no request to build links from: they start with this address.
_FIRST_HOST = next((h for h in ALLOWED_HOSTS if not h.startswith(".") and h != "*"), "localhost")
STUDYAPP_SITE_URL = os.environ.get("STUDYAPP_SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{_FIRST_HOST}").rstrip("/")

# ---------------------------------------------------------------------------
# Internationalisation
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static files
# ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))  # collectstatic writes here
if DEBUG:
    # Development serves static files straight from the finders; staticfiles/ exists after collectstatic.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# ---------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie (the token rides on hx-headers), but keep the default
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the proxy's health check speaks plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

# ---------------------------------------------------------------------------
# Logging: warnings and errors to the console
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
