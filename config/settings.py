"""Settings, read from the environment. The defaults are the embedded, single-machine mode:
SQLite, eager Celery tasks, e-mail to the console, media on local disk."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .account_settings import *  # noqa: F403
from .beat import collect_schedule
from .logging import build_logging
from .oidc import providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Only for the embedded mode on a laptop and the test suite; production must set one.
        SECRET_KEY = "insecure-dev-key-only-for-debug-and-tests-0123456789abcdefghijklmnop"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Our apps, from the kernel upward (DESIGN.md, "The house").
LOCAL_APPS = [
    "core",
    "people",
    "signin",
    "workshops",
    "courses",
    "certificates",
    "demand",
    "legal",
    "api",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "csp",
    "django_celery_beat",
    *LOCAL_APPS,
]

MIDDLEWARE = [
    # First, so that every later middleware's log lines and every response carry the request id.
    "config.middleware.RequestIdMiddleware",
    # Before anything reads the client address (rate limits, logs): see TRUSTED_PROXY_COUNT.
    "config.middleware.TrustedProxyMiddleware",
    # Before the session and CSRF read cookies and form data: NUL and oversized bodies end here.
    "config.middleware.HostileInputMiddleware",
    "core.conditional.ConditionalGetMiddleware",  # ETag, 304: last on the way out
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After auth: a signed-in user's saved language beats the browser's Accept-Language.
    "config.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After auth and messages: staff without a second factor set one up (MFA_REQUIRED_FOR_STAFF).
    "signin.middleware.SecondFactorForStaffMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every response.
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.roles",
            ],
        },
    },
    {
        # Plain-text e-mails (core.textmail.render_text): the same templates, never HTML-escaped,
        # so a name like O'Brien & Co arrives as typed. HTML is always rendered by the engine above.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; waiting beats failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    INSTALLED_APPS.append("django.contrib.postgres")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "core.postgresql"  # its health check: no round trip
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if TESTING:
        DATABASES["default"]["TEST"] = {
            "NAME": os.environ.get("TEST_DB_NAME", "test_lernwerkstatt")
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "people.passwords.PlainPasswordValidator"},  # at most 256 characters, one line
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# allauth (e-mail login, address changes, its forms): config/account_settings.py.
# Failed logins: 10 a minute per address, 5 in 5 minutes per account *and* address (adapters):
# a stranger's guesses never lock the owner out of the right password from their own address.
ACCOUNT_RATE_LIMITS = {} if TESTING else {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
# Reverse proxies in front of the web processes that append to X-Forwarded-For (nginx, a load
# balancer): the client's address is read from that header, never from one a client could forge.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
LOGIN_REDIRECT_URL = "/"

# Single sign-on for staff through the districts' identity providers (OpenID Connect; the format
# of OIDC_PROVIDERS is in config/oidc.py and the README). A provider signs a person in only to an
# existing account with the same verified address, and only once a district admin has confirmed
# that first link (signin.adapters): no account and no role is ever made from a provider's claim.
SOCIALACCOUNT_PROVIDERS = providers_from_env(os.environ.get("OIDC_PROVIDERS", ""))
SOCIALACCOUNT_ADAPTER = "signin.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matching by address is ours, with the confirmation
# The provider verified the address and an admin confirmed the link.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False  # we only sign in; the provider's tokens are not kept

# Second factor (allauth.mfa): an authenticator app (TOTP), security keys (WebAuthn) and recovery
# codes, offered to everyone on the account pages. MFA_REQUIRED_FOR_STAFF sends district admins,
# coordinators, instructors and admin-site users without one to set it up before any page behind
# a login (signin.middleware); on by default in production.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Lernwerkstatt 4.0"
MFA_PASSKEY_LOGIN_ENABLED = False
# Browsers allow WebAuthn on http://localhost only; the development server has no TLS.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", not DEBUG and not TESTING)
LOGIN_URL = "account_login"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]  # each in its own language
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]  # allauth's German says "du"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# English with British dates (config/formats/en): day first, 24-hour clock.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "config.staticfiles.StaticFilesStorage"  # whitenoise, source maps not required
    },
}
# Media on S3-compatible object storage (AWS, MinIO, Ceph, Hetzner, IONOS) when a bucket is named:
# then web and worker machines share no disk, and scaling out needs no shared volume.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "") or os.environ.get(
    "S3_BUCKET", ""
)
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "media")
    # Certificates are personal data: private objects, handed out through short-lived signed URLs.
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "300"))
    AWS_S3_FILE_OVERWRITE = False

# E-mail: console by default; SMTP when EMAIL_HOST is given.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Lernwerkstatt <noreply@lernwerkstatt.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # The outbox holds a row lock while it talks to the server: never wait forever.
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
# Or an e-mail service through django-anymail (optional extra `.[anymail]`): ANYMAIL_PROVIDER names
# the backend (mailgun, postmark, sendgrid, amazon_ses, brevo, ...); every other ANYMAIL_<NAME>
# variable becomes ANYMAIL["<NAME>"], e.g. ANYMAIL_MAILGUN_API_KEY -> ANYMAIL["MAILGUN_API_KEY"].
ANYMAIL_PROVIDER = os.environ.get("ANYMAIL_PROVIDER", "").strip().lower()
if ANYMAIL_PROVIDER:
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_PROVIDER}.EmailBackend"
    ANYMAIL = {
        name.removeprefix("ANYMAIL_"): value
        for name, value in os.environ.items()
        if name.startswith("ANYMAIL_") and name != "ANYMAIL_PROVIDER"
    }

# Celery: eager when no broker is configured, so a laptop needs nothing but Python.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message a worker took but never acknowledged (the whole worker was killed) goes back to the
# queue after this many seconds (Redis transport). Longer than any task runs or waits for its
# retry (a bulk job that outlives it merely runs twice, which issues nothing twice); bulk jobs
# resume sooner through their own sweep (certificates.services.recovery).
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900"))
# With Redis down a request must not hang: short socket timeouts and one quick publish retry,
# then the caller's hand-off gives up and the database outboxes deliver later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker keeps reconnecting through a Redis restart instead of giving up after 100 tries.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# /readyz fails when the last beat heartbeat a worker executed is older than this (seconds): a
# worker that stopped consuming (or a beat that stopped) is noticed. 0 turns the check off.
WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE", "300"))
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Each app declares its periodic tasks in <app>/schedule.py; beat installs the merged entries.
CELERY_BEAT_SCHEDULE = collect_schedule(LOCAL_APPS)
# The smoke journey (and a demo) runs every periodic task this often to watch due work happen;
# never in production.
CELERY_BEAT_EVERY_SECONDS = float(os.environ.get("CELERY_BEAT_EVERY_SECONDS") or 0)
if CELERY_BEAT_EVERY_SECONDS:
    CELERY_BEAT_SCHEDULE = {
        name: {**entry, "schedule": CELERY_BEAT_EVERY_SECONDS}
        for name, entry in CELERY_BEAT_SCHEDULE.items()
    }
CELERY_TASK_ROUTES = {
    "*.send_*": {"queue": "mail"},
    "certificates.*": {"queue": "pdf"},
    "api.tasks.*": {"queue": "webhooks"},
}
CELERY_TASK_DEFAULT_QUEUE = "default"
# The worker logs through LOGGING above (JSON lines with the request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Chamber API: config/api_settings.py; docs assets from drf-spectacular-sidecar (no CDN).
INSTALLED_APPS.append("drf_spectacular_sidecar")
from .api_settings import *  # noqa: E402, F403

# Webhook targets on loopback/private/link-local/reserved addresses are refused (SSRF) unless
# this is on; development and the tests deliver to 127.0.0.1.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", DEBUG or TESTING)

CACHES = {
    "default": (
        {
            # Redis down means no cache, not an error page: reads miss, writes are dropped,
            # each with a log line (throttles and rate limits fail open meanwhile).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Django's database sessions with the per-request lookup compiled once (core/sessions.py).
SESSION_ENGINE = "core.sessions"

# Security: production values unless DEBUG; `check --deploy` stays clean.
SESSION_COOKIE_SECURE = not DEBUG and not TESTING and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers and orchestrators probe these over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG or TESTING else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Security headers (CSP, Permissions-Policy) and request size limits: config/http_settings.py.
from .http_settings import *  # noqa: E402, F403

SILENCED_SYSTEM_CHECKS: list[str] = []

# Domain settings (booking, waiting list, workshops, demand, certificates, legal notices).
from .domain_settings import *  # noqa: E402, F403

# Logs: one JSON object per line with the request id in production; plain lines on a laptop.
LOG_JSON = env_bool("LOG_JSON", not DEBUG and not TESTING)
LOGGING = build_logging(level=os.environ.get("LOG_LEVEL", "INFO"), json_logs=LOG_JSON)

# Error reports to Sentry (or a compatible service such as GlitchTip) only when a DSN is given;
# sentry-sdk is an optional extra (`pip install .[sentry]`), so it is imported only then.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # trainees' names and e-mails stay out of the error tracker
    )

# Benchmarks only (bench/catalogue.py): a bare view as the ceiling of any view on this stack.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)
