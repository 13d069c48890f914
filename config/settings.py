"""Settings for the privacy-review register, read from the environment.

One module for every environment: development, tests and production differ only by
environment variables (docs/features/configuration.md lists them).
"""

import ipaddress
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import sqlite

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# DEBUG=1 (`make run`) means development: a built-in key, no HTTPS, text logs, static
# files found where they are. Django's own DEBUG — its English technical pages with
# settings and tracebacks instead of the product's Japanese 404 / 500 pages — only when
# DEBUG_TECHNICAL_PAGES=1 asks for it as well.
DEVELOPMENT = env.bool("DEBUG", default=False)
DEBUG = DEVELOPMENT and env.bool("DEBUG_TECHNICAL_PAGES", default=False)

# A development key is only acceptable in development (DEBUG=1); production must set its own.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured("SECRET_KEY を環境変数で設定してください（DEBUG=False）。")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.RegisterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "registry",
    # Before import_export: its `manage.py import` and `export` commands and its admin
    # templates replace the library's.
    "exchange",
    "import_export",
    "simple_history",
    "django_tasks",
    "worker.apps.TaskResultsConfig",
    "accounts.apps.AxesConfig",
    "accesslog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # For its Japanese messages (the password validator below).
    "django_zxcvbn_password_validator",
    "accounts",
    "printing",
    "reviews",
    "consignments",
    "linkages",
    "processing",
    "payments",
    "publication",
    "worker",
    "filebook",
    "notifications",
    "incidents",
    "disclosure",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "publication.middleware.PublicDownloadLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accesslog.middleware.AccessLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "config.context_processors.staff_header",
                "config.context_processors.session_timeout",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default for trying the product; tests and production use
# PostgreSQL through psycopg 3 (DATABASE_URL=postgres://...).
DATABASES = {
    "default": sqlite.with_options(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    ),
}
# A process keeps its connection between requests (checked before reuse): opening one
# per request cost PostgreSQL a new backend, and the first queries on it, every time.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each process keeps its own cache: what is cached is keyed on the change stamp read from
# the database (registry.changes), so processes never need to tell each other.
# "shared" holds what must be counted across processes and machines (the public download
# limit, the per-account login slow-down): Redis when REDIS_URL is set, else a table in
# the database (created by every `migrate`, config.cache), so `make run` needs no Redis.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=5000)},
    },
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("REDIS_URL")}
        if env.str("REDIS_URL", default="")
        else {"BACKEND": "config.cache.DatabaseCache", "LOCATION": "shared_cache"}
    ),
}

# fixtures/ holds the seed records: `manage.py loadseed` (adds what is missing, overwrites nothing).
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn estimates how many guesses a password takes, counting repetitions
    # ('passwordpassword'), the user's own names ('shuno2026shuno') and dictionary words;
    # 4 is its top score (about 10^10 guesses or more).
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
]
PASSWORD_MINIMAL_STRENGTH = 4
# Argon2id (at OWASP's minimum cost, accounts.hashers) for new and changed passwords;
# older hashes still verify and are upgraded on the next login.
PASSWORD_HASHERS = [
    "accounts.hashers.WardArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Logins: django-axes counts failures per user name and address and locks the pair out
# for AXES_COOLOFF_MINUTES after AXES_FAILURE_LIMIT failures; every attempt, failed or
# successful, is recorded (admin: アクセス試行 / アクセスログ).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user's roles, section, permissions
    # and authenticators with the user in one query.
    "accounts.backends.SignedInUserBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Guessing one account from many addresses (accounts/throttle.py): after
# LOGIN_SLOWDOWN_AFTER failures within LOGIN_SLOWDOWN_WINDOW_MINUTES each attempt waits
# after the last failure, doubling up to LOGIN_SLOWDOWN_MAX_SECONDS; addresses the owner
# logged in from before are not slowed. The counter is in the cache LOGIN_SLOWDOWN_CACHE
# (the shared one, so it counts once however many machines answer).
LOGIN_SLOWDOWN_AFTER = env.int("LOGIN_SLOWDOWN_AFTER", default=10)
LOGIN_SLOWDOWN_MAX_SECONDS = env.int("LOGIN_SLOWDOWN_MAX_SECONDS", default=60)
LOGIN_SLOWDOWN_WINDOW_MINUTES = env.int("LOGIN_SLOWDOWN_WINDOW_MINUTES", default=60)
LOGIN_SLOWDOWN_CACHE = env.str("LOGIN_SLOWDOWN_CACHE", default="shared")
# The client's address (accesslog/addresses.py, for the access log, the download limit
# and the login throttle) is read from X-Forwarded-For from the right, past the reverse
# proxies in front: TRUSTED_PROXIES of them (1 with one proxy), or those whose address is
# in TRUSTED_PROXY_NETWORKS (CIDRs). With neither, X-Forwarded-For is ignored.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
TRUSTED_PROXY_NETWORKS = env.list("TRUSTED_PROXY_NETWORKS", default=[])
for _network in TRUSTED_PROXY_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXY_NETWORKS の「{_network}」はネットワークではありません。"
        ) from error
AXES_CLIENT_IP_CALLABLE = "accesslog.addresses.client_address"

# Public register downloads (PDF, Excel, CSV) per client address and minute, counted in
# the shared cache across every process and machine (publication/middleware.py); more
# are answered 429 with a Japanese page.
PUBLIC_DOWNLOADS_PER_MINUTE = env.int("PUBLIC_DOWNLOADS_PER_MINUTE", default=60)
# Records, files and answers per page of the public register and file book.
PUBLIC_PAGE_SIZE = env.int("PUBLIC_PAGE_SIZE", default=50)
# How long a proxy or browser may serve a public page to anonymous visitors without
# asking again (Cache-Control max-age); after that it revalidates with the ETag (304).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)

# Every view, print and export of records is kept in the access log (admin: アクセスログ,
# for the 事務局) for ACCESS_LOG_RETENTION_DAYS; `manage.py housekeeping` prunes it.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=730)

# Notices (notifications/): Django's mail, printed on the console unless EMAIL_URL names
# an SMTP server (smtp+tls://user:password@mail.example.jp:587). Links in them start
# with SITE_URL; 附帯意見 reminders go NOTIFY_DUE_DAYS before the due date.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="privacy-review@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
NOTIFY_DUE_DAYS = env.int("NOTIFY_DUE_DAYS", default=14)

# A second factor (a TOTP authenticator app, with single-use recovery codes) is optional
# for section staff; reviewers, clerks and superusers must set one up whenever
# TWO_FACTOR_REQUIRED is on, which it is unless DEBUG=1 (the `make run` demo).
# After wrong codes django-otp makes the next try wait, doubling; the wait stops growing
# at OTP_THROTTLE_MAX_SECONDS (accounts.models).
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEVELOPMENT)
OTP_THROTTLE_MAX_SECONDS = env.int("OTP_THROTTLE_MAX_SECONDS", default=120)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="個人情報保護 事務管理システム")

# 漏えい等事案 (incidents/): the 速報's clock in days from discovery (the Commission's
# guideline for 行政機関等: 概ね3〜5日), the notices' to the people concerned, whether the
# ward's ordinance defines 条例要配慮個人情報 (施行規則第43条第5号 applies only then), and
# the ward's 公表基準: which reasons hold a case back and which cases are published at
# once (the numbers of 施行規則第43条; the rest wait for the half-yearly list).
INCIDENTS_PRELIMINARY_DAYS = env.int("INCIDENTS_PRELIMINARY_DAYS", default=5)
INCIDENTS_NOTICE_DAYS = env.int("INCIDENTS_NOTICE_DAYS", default=30)
INCIDENTS_ORDINANCE_SENSITIVE = env.bool("INCIDENTS_ORDINANCE_SENSITIVE", default=False)
INCIDENTS_PUBLICATION_EXCEPTIONS = env.list(
    "INCIDENTS_PUBLICATION_EXCEPTIONS",
    default=["danger", "investigation", "victim_wish", "recovered", "other"],
)
INCIDENTS_PUBLISH_AT_ONCE = env.list("INCIDENTS_PUBLISH_AT_ONCE", cast=int, default=[1, 2, 3, 4, 5])

# Sessions end after SESSION_IDLE_MINUTES without a request; the page warns a few
# minutes before and offers to continue. A request renews the session when the last
# renewal is SESSION_RENEW_SECONDS old (accounts.middleware.SessionRenewalMiddleware):
# one write a minute instead of one per request.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_WARNING_MINUTES = env.int("SESSION_WARNING_MINUTES", default=3)

# Production runs behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
# These default to on whenever DEBUG is off; `manage.py check --deploy` is clean then.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEVELOPMENT)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEVELOPMENT else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEVELOPMENT)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEVELOPMENT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEVELOPMENT)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files,
# never inline. Inline style attributes are still allowed while the last of them move
# into site.css; no inline script remains (a test reads every page for one).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "ja"
# Japanese for library text that ships without it (django-axes); compiled by make.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development the files are served from where they are, and changes show at once.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEVELOPMENT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEVELOPMENT
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}

# History is read, never replayed: an approved record changes only by amendment.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Ward-specific notation. Nerima numbers its businesses NNNN-NN; other wards differ.
BUSINESS_NUMBER_PATTERN = env.str("BUSINESS_NUMBER_PATTERN", default=r"^\d{4}-\d{2}$")
BUSINESS_NUMBER_EXAMPLE = env.str("BUSINESS_NUMBER_EXAMPLE", default="0404-01")

# Spreadsheet imports (django-import-export). A request checks only the file's size and
# stores it; the task worker (`manage.py worker`) checks the other caps, parses and
# imports it, with progress shown in the browser.
IMPORT_MAX_FILE_SIZE = env.int("IMPORT_MAX_FILE_SIZE", default=5 * 1024 * 1024)
# An .xlsx is a zip; the sum of its parts' unpacked sizes is capped before parsing.
IMPORT_MAX_UNPACKED_SIZE = env.int("IMPORT_MAX_UNPACKED_SIZE", default=50 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
# Counted in the raw XML before openpyxl builds a workbook: a 100 KB file can hold
# millions of tiny shared strings or cells (each a Python object once parsed).
IMPORT_MAX_SHARED_STRINGS = env.int("IMPORT_MAX_SHARED_STRINGS", default=200_000)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=1_000_000)
# Uploads waiting for the preview's confirmation live in MEDIA_ROOT/pending-imports,
# bound to the uploader's session; `manage.py housekeeping` removes older ones.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "exchange.uploads.PendingUploadStorage"
IMPORT_PENDING_HOURS = env.int("IMPORT_PENDING_HOURS", default=2)
# An export of more rows than this is written by the task worker, not in the request
# (a progress page, then a download kept for JOB_RETENTION_DAYS).
EXPORT_IN_REQUEST_MAX_ROWS = env.int("EXPORT_IN_REQUEST_MAX_ROWS", default=2_000)
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
# Exports through the library's own formats (the access log) never write live formulas.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# The registers `manage.py import` and `manage.py export` take: each the resource its
# admin's import and export use (tests/exchange/test_import_command.py checks the two agree).
EXCHANGE_RESOURCES = [
    "registry.resources.SectionResource",
    "registry.resources.BusinessResource",
    "registry.resources.OrganizationResource",
    "reviews.council.resources.PreApprovalCategoryResource",
    "reviews.council.resources.CategoryExampleResource",
    "reviews.council.resources.ConsultationResource",
    "consignments.resources.ConsignmentResource",
    "linkages.resources.LinkageResource",
    "processing.resources.ProcessingResource",
    "filebook.resources.PersonalInfoFileResource",
]

# Background work (large imports, print batches): the django-tasks backport with its
# database backend; run `manage.py worker` beside the web server.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# Printing more records than this at once runs as a background job; each job renders
# PRINT_CHUNK_SIZE forms at a time and merges the parts, so memory stays bounded.
# Measured here (Form 2, 1,000 forms): 50-form chunks peak near 250 MB per process,
# 100-form chunks above 320 MB, for about the same time.
PRINT_BACKGROUND_THRESHOLD = env.int("PRINT_BACKGROUND_THRESHOLD", default=50)
PRINT_CHUNK_SIZE = env.int("PRINT_CHUNK_SIZE", default=50)
# The author every printed PDF names in its metadata: the ward that files and publishes it.
PRINT_AUTHOR = env.str("PRINT_AUTHOR", default="練馬区")
# Background jobs (print batches, imports) report a heartbeat while they work; one silent
# for JOB_LEASE_SECONDS lost its worker and is marked failed, with a retry button.
# Finished print and export files and kept import files are removed after
# JOB_RETENTION_DAYS.
# `manage.py housekeeping` does both (the compose stack runs it every few minutes).
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=300)
JOB_RETENTION_DAYS = env.int("JOB_RETENTION_DAYS", default=7)
# The task worker (`manage.py worker`) writes a heartbeat every WORKER_HEARTBEAT_SECONDS;
# `/healthz` reports the worker down when none is newer than WORKER_HEARTBEAT_MAX_AGE.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=15)
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=60)
# When the database goes away (a restart), the worker waits WORKER_RECONNECT_SECONDS,
# doubling up to WORKER_RECONNECT_MAX_SECONDS, and reconnects instead of exiting.
WORKER_RECONNECT_SECONDS = env.float("WORKER_RECONNECT_SECONDS", default=1.0)
WORKER_RECONNECT_MAX_SECONDS = env.float("WORKER_RECONNECT_MAX_SECONDS", default=30.0)

# Structured logs: one JSON object per line (time, level, logger, message and any
# `extra`), which the ward's log collector can index; plain text for development.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEVELOPMENT else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT は json または text を指定してください。")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
            "json_ensure_ascii": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports unreadable CSS, refused fetches and layout problems here; it
    # installs no handler of its own, so they would otherwise go unseen.
    "loggers": {
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# 諮問 numbering: "fiscal_year" restarts at 第1号 every April (令和8年度 諮問第1号);
# "cumulative" never restarts (諮問第692号).
CONSULTATION_NUMBERING = env.str("CONSULTATION_NUMBERING", default="fiscal_year")

# 個人情報ファイル簿: the Act requires publishing files of 1,000 people or more; many wards
# publish smaller files too by their own 施行条例 (FILEBOOK_PUBLISH_SMALL_FILES=1).
FILEBOOK_PUBLISH_SMALL_FILES = env.bool("FILEBOOK_PUBLISH_SMALL_FILES", default=False)
# 行政機関等の名称 proposed for a new file.
FILEBOOK_AGENCY_NAME = env.str("FILEBOOK_AGENCY_NAME", default="練馬区長")

# 開示請求等: whether a deadline falling on a day the ward is closed (土日, 祝日,
# 12月29日–1月3日) moves to the next open day, as most wards' 休日条例 say.
DISCLOSURE_DEADLINE_SKIPS_CLOSED_DAYS = env.bool(
    "DISCLOSURE_DEADLINE_SKIPS_CLOSED_DAYS", default=True
)
# Closed requests (and their history) are purged this many years after they closed;
# a purge record keeps the counts.
DISCLOSURE_RETENTION_YEARS = env.int("DISCLOSURE_RETENTION_YEARS", default=5)
# Reminders to the sections asked and the 事務局, this many days before a deadline.
DISCLOSURE_REMINDER_DAYS = env.list("DISCLOSURE_REMINDER_DAYS", cast=int, default=[7, 2])
# The sender printed on the notices (the ward head).
DISCLOSURE_SENDER = env.str("DISCLOSURE_SENDER", default="練馬区長")
# The public page on how to request (/register/disclosure/): where requests are received
# and the fees, as the ward's rules set them.
DISCLOSURE_WINDOW = env.str(
    "DISCLOSURE_WINDOW",
    default="区役所本庁舎 区政情報コーナー（情報公開・個人情報保護担当）　平日 午前8時30分～午後5時15分",
)
DISCLOSURE_FEES = env.str(
    "DISCLOSURE_FEES",
    default="請求の手数料は無料です。写しの交付を受けるときは、その費用（白黒1面10円など）を負担していただきます。",
)
