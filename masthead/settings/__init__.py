"""Masthead's settings: every value comes from an environment variable with a safe default.

The defaults give the *embedded* mode that `./run` serves: SQLite, a file cache and uploaded
media under one data folder, and e-mail printed to the console. Setting `DATABASE_URL`,
`REDIS_URL`, `EMAIL_HOST` and friends moves each part to production services; for a public
deployment use `masthead.settings.production`, which adds the strict HTTPS settings on top.
The README lists every variable.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated environment variable."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def _env_first(*names: str) -> str:
    """The first of these environment variables that is set (Masthead's own name first)."""
    return next(
        (os.environ[name].strip() for name in names if os.environ.get(name, "").strip()), ""
    )


def _s3_media_storage() -> tuple[dict, str]:
    """STORAGES["default"] for uploads in an S3-compatible bucket, and the origin serving them.

    Objects are public-read through the bucket's own policy (no per-object ACL, which many
    providers refuse) and their addresses carry no signature, so pages and the page cache can
    hold them. Without an access key in the environment, boto3 finds credentials itself (an
    instance role, ~/.aws).
    """
    try:
        import boto3  # noqa: F401
        import storages  # noqa: F401
    except ImportError as error:
        raise ImproperlyConfigured(
            "MASTHEAD_MEDIA_STORAGE=s3 needs django-storages with boto3: "
            "pip install 'django-storages[s3]>=1.14' (or install masthead[s3])."
        ) from error
    bucket = _env_first("MASTHEAD_S3_BUCKET", "AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ImproperlyConfigured(
            "MASTHEAD_MEDIA_STORAGE=s3 needs the bucket's name in MASTHEAD_S3_BUCKET "
            "(or AWS_STORAGE_BUCKET_NAME)."
        )
    endpoint_url = _env_first("MASTHEAD_S3_ENDPOINT_URL", "AWS_S3_ENDPOINT_URL").rstrip("/")
    region = _env_first("MASTHEAD_S3_REGION", "AWS_S3_REGION_NAME", "AWS_DEFAULT_REGION")
    custom_domain = _env_first("MASTHEAD_S3_CUSTOM_DOMAIN", "AWS_S3_CUSTOM_DOMAIN").rstrip("/")
    options = {
        "bucket_name": bucket,
        "location": _env_first("MASTHEAD_S3_PREFIX", "AWS_LOCATION").strip("/"),
        "default_acl": None,
        "querystring_auth": False,
        # Two uploads called photo.jpg are two files, as on disk.
        "file_overwrite": False,
        "object_parameters": {
            "CacheControl": os.environ.get("MASTHEAD_S3_CACHE_CONTROL", "public, max-age=86400")
        },
        # Other providers' endpoints address buckets by path: https://endpoint/bucket/key.
        "addressing_style": "path" if endpoint_url else "virtual",
    }
    access_key = _env_first(
        "MASTHEAD_S3_ACCESS_KEY_ID", "AWS_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"
    )
    secret_key = _env_first(
        "MASTHEAD_S3_SECRET_ACCESS_KEY", "AWS_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"
    )
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "Set both MASTHEAD_S3_ACCESS_KEY_ID and MASTHEAD_S3_SECRET_ACCESS_KEY, or neither."
        )
    if access_key:
        options.update(access_key=access_key, secret_key=secret_key)
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    if region:
        options["region_name"] = region
    if custom_domain:
        # A CDN or the bucket's own web address, e.g. media.news.example.org.
        options["custom_domain"] = custom_domain.removeprefix("https://").removeprefix("http://")
        origin = f"https://{options['custom_domain'].split('/')[0]}"
    elif endpoint_url:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint_url))
    else:
        # What boto3 writes: us-east-1 (the default) has no region in its host name.
        regional = region and region != "us-east-1"
        host = f"s3.{region}.amazonaws.com" if regional else "s3.amazonaws.com"
        origin = f"https://{bucket}.{host}"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, origin


PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent

# Everything the embedded mode writes (database, media, cache, collected static files,
# the generated secret key) lives in one folder that an operator can back up.
DATA_DIR = Path(os.environ.get("MASTHEAD_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """A random key made once and kept in the data folder, so sessions survive restarts."""
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _embedded_secret_key()
DEBUG = env_bool("MASTHEAD_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "masthead.newsroom",
    "masthead.editorial",
    "masthead.runtime",
    "masthead.translation",
    "masthead.supporters",
    "masthead.feeds",
    "masthead.seo",
    "masthead.search",
    "masthead.related",
    "masthead.pagecache",
    "masthead.newsletter",
    "masthead.tips",
    "masthead.wordpress",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: the tip box's requests lose their sender's address, browser and referrer here,
    # before anything else (logging included) could see them.
    "masthead.tips.middleware.ForgetTipSenderMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "masthead.translation.middleware.LanguageFromPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "masthead.newsroom.middleware.ContentSecurityPolicyMiddleware",
    # WordPress's plain links (/?p=123) to where an import put what they named.
    "masthead.wordpress.redirects.OldQueryLinkMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "masthead.newsroom.context_processors.newsroom",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded: one SQLite file in WAL mode, writers waiting their turn rather than failing.
# Production: DATABASE_URL=postgres://user:password@host:5432/name (persistent connections).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "masthead.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's PostgreSQL search and migrations need it (postgres.E005 without it).
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Embedded: a file cache, shared by the web server's processes and the worker.
# Production: REDIS_URL=redis://host:6379/0.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("MASTHEAD_CACHE_PREFIX", "masthead")
# "pages" holds whole rendered pages for anonymous readers (see masthead.pagecache).
# "renditions" remembers which resized image files exist (Wagtail asks on every image shown).
if REDIS_URL:
    # Fail fast when Redis is unreachable (the health check says so) instead of hanging.
    _redis_options = {"socket_connect_timeout": 2, "socket_timeout": 2}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": _redis_options,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-pages",
            "TIMEOUT": None,
            "OPTIONS": _redis_options,
        },
        "renditions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-renditions",
            "TIMEOUT": 24 * 60 * 60,
            "OPTIONS": _redis_options,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "page-cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": env_int("MASTHEAD_PAGE_CACHE_FILES", 20_000)},
        },
        # In each process's memory: Wagtail writes it on every image it shows, which would
        # cost a file write each time (a rendition's address never changes; a new crop or
        # focal point is a new rendition).
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "masthead-renditions",
            "TIMEOUT": 60 * 60,
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        },
    }

# --- Full-page cache ------------------------------------------------------------------------
# Anonymous GET/HEAD answers of public pages are kept whole and refreshed exactly when what
# they show changes (masthead.pagecache). MASTHEAD_PAGE_CACHE=0 turns it off.
MASTHEAD_PAGE_CACHE = env_bool("MASTHEAD_PAGE_CACHE", True)
# Pages each web process also keeps in its own memory (checked against the shared cache).
MASTHEAD_PAGE_CACHE_LOCAL_ENTRIES = env_int("MASTHEAD_PAGE_CACHE_LOCAL_ENTRIES", 500)
# Answers larger than this many bytes are not kept.
MASTHEAD_PAGE_CACHE_MAX_BYTES = env_int("MASTHEAD_PAGE_CACHE_MAX_BYTES", 2_000_000)
# Seconds a shared cache in front (a CDN) may serve a page without asking again (s-maxage).
# 0: it revalidates every time, so nobody sees a page older than Masthead's own.
MASTHEAD_PAGE_CACHE_SHARED_MAX_AGE = env_int("MASTHEAD_PAGE_CACHE_SHARED_MAX_AGE", 0)

# --- Background tasks -----------------------------------------------------------------------
# "database" queues work for the worker that `./run` starts (`manage.py run_worker`);
# "immediate" runs each task inside the request that queued it (used by the test suite).
TASKS_BACKEND = os.environ.get("MASTHEAD_TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"MASTHEAD_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}

# Jobs the worker queues on a timer: dotted path of a task -> seconds between runs.
MASTHEAD_PERIODIC_TASKS = {
    "masthead.editorial.tasks.publish_scheduled_pages": env_int(
        "MASTHEAD_PUBLISH_SCHEDULED_EVERY", 60
    ),
    "masthead.runtime.tasks.prune_task_results": 24 * 60 * 60,
    # Repairs donation records from Stripe in case a webhook was missed (no-op without keys).
    "masthead.supporters.tasks.reconcile_with_stripe": env_int(
        "MASTHEAD_STRIPE_SYNC_EVERY", 24 * 60 * 60
    ),
    # Newsletters: picks up a send a crash or restart interrupted, and retries that are due.
    "masthead.newsletter.tasks.send_newsletters": env_int("MASTHEAD_NEWSLETTER_SEND_EVERY", 30),
    # Creates the daily and weekly digests when their hour comes.
    "masthead.newsletter.tasks.queue_due_mailings": 60,
    # Deletes the addresses that asked to subscribe and never confirmed.
    "masthead.newsletter.tasks.forget_unconfirmed_addresses": 24 * 60 * 60,
    # Deletes tips nobody has written to or answered for MASTHEAD_TIPS_KEEP_DAYS.
    "masthead.tips.tasks.forget_old_tips": 24 * 60 * 60,
    # Tells the Tips group which tips have new messages (at most hourly, on purpose).
    "masthead.tips.tasks.tell_newsroom": 60 * 60,
    # Deletes what a killed web process left in the scrub folder.
    "masthead.tips.tasks.sweep_scrub_folders": 60 * 60,
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Another backend, e.g. a provider's API through django-anymail
# ("anymail.backends.mailgun.EmailBackend"; its ANYMAIL_* variables configure it).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", EMAIL_BACKEND)
if EMAIL_BACKEND.startswith("anymail."):
    INSTALLED_APPS.append("anymail")
    ANYMAIL = {
        name.removeprefix("ANYMAIL_"): value
        for name, value in os.environ.items()
        if name.startswith("ANYMAIL_")
    }
# Seconds before a silent mail server is given up on (the message is retried later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Newsletters ----------------------------------------------------------------------------
# The sender address of newsletters (the name comes from the Newsletter settings in the admin).
MASTHEAD_NEWSLETTER_FROM_EMAIL = os.environ.get(
    "MASTHEAD_NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL
)
# Hours a confirmation link works.
MASTHEAD_NEWSLETTER_CONFIRM_HOURS = env_int("MASTHEAD_NEWSLETTER_CONFIRM_HOURS", 72)
# Messages sent per minute at most (0: as fast as the mail server takes them). Most relays
# and providers have a limit; set it a little under theirs.
MASTHEAD_NEWSLETTER_RATE_PER_MINUTE = env_int("MASTHEAD_NEWSLETTER_RATE_PER_MINUTE", 600)
# Messages sent over one SMTP connection, and between two records of progress.
MASTHEAD_NEWSLETTER_BATCH_SIZE = env_int("MASTHEAD_NEWSLETTER_BATCH_SIZE", 100)
# Temporary failures (4xx, a server that is down) are retried after 1, 2, 4, ... times this
# many seconds, at most this many attempts in all.
MASTHEAD_NEWSLETTER_RETRY_SECONDS = env_int("MASTHEAD_NEWSLETTER_RETRY_SECONDS", 120)
MASTHEAD_NEWSLETTER_MAX_ATTEMPTS = env_int("MASTHEAD_NEWSLETTER_MAX_ATTEMPTS", 6)
# Permanent refusals (5xx) after which an address is marked bouncing and no longer mailed.
MASTHEAD_NEWSLETTER_BOUNCE_LIMIT = env_int("MASTHEAD_NEWSLETTER_BOUNCE_LIMIT", 3)
# Seconds a sending worker holds its turn without renewing it (a worker that died is
# replaced after this long).
MASTHEAD_NEWSLETTER_LEASE_SECONDS = env_int("MASTHEAD_NEWSLETTER_LEASE_SECONDS", 60)
# Subscribe requests per e-mail address and per network address in an hour.
MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_EMAIL = env_int("MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_EMAIL", 3)
MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_IP = env_int("MASTHEAD_NEWSLETTER_SUBSCRIBES_PER_IP", 20)

# --- Tip box --------------------------------------------------------------------------------
# The newsroom's OpenPGP public key(s), ASCII-armored, that tips are encrypted to: in the
# variable itself, and/or in a file it names. More can be added in the admin (Tips -> Keys).
# With no key at all the tip box says it is closed and accepts nothing.
MASTHEAD_TIPS_PUBLIC_KEYS = os.environ.get("MASTHEAD_TIPS_PUBLIC_KEYS", "")
MASTHEAD_TIPS_PUBLIC_KEYS_FILE = os.environ.get("MASTHEAD_TIPS_PUBLIC_KEYS_FILE", "")
# The secret salt of codenames (any long random string). Without it one is derived from
# SECRET_KEY, and changing SECRET_KEY would then lock every source out: set it in production.
MASTHEAD_TIPS_PEPPER = os.environ.get("MASTHEAD_TIPS_PEPPER", "")
# Files per message, the largest file, and all files of one message together (megabytes).
# Uploads are held in memory (never in temporary files), so these also bound memory per upload.
MASTHEAD_TIPS_MAX_FILES = env_int("MASTHEAD_TIPS_MAX_FILES", 10)
MASTHEAD_TIPS_MAX_FILE_MB = env_int("MASTHEAD_TIPS_MAX_FILE_MB", 25)
MASTHEAD_TIPS_MAX_TOTAL_MB = env_int("MASTHEAD_TIPS_MAX_TOTAL_MB", 50)
# Characters in one message.
MASTHEAD_TIPS_MAX_MESSAGE_CHARS = env_int("MASTHEAD_TIPS_MAX_MESSAGE_CHARS", 50_000)
# Abuse limits for the whole site (no per-sender counting: senders are not told apart):
# messages accepted per hour, and codename sign-in attempts per minute.
MASTHEAD_TIPS_MESSAGES_PER_HOUR = env_int("MASTHEAD_TIPS_MESSAGES_PER_HOUR", 120)
MASTHEAD_TIPS_SIGNINS_PER_MINUTE = env_int("MASTHEAD_TIPS_SIGNINS_PER_MINUTE", 30)
# E-mail the Tips group, once an hour at most, the numbers of tips with new messages (and
# links; nothing else). 0 turns it off.
MASTHEAD_TIPS_NOTIFY = env_bool("MASTHEAD_TIPS_NOTIFY", True)
# Days after a tip's last message or reply that it is deleted (0: keep tips until deleted).
MASTHEAD_TIPS_KEEP_DAYS = env_int("MASTHEAD_TIPS_KEEP_DAYS", 90)
# The mat2 program that removes hidden data from files (Debian: apt-get install mat2). Empty
# or not found: photos are still cleaned with Pillow; other files are sent as they are.
MASTHEAD_TIPS_MAT2 = os.environ.get("MASTHEAD_TIPS_MAT2", "mat2")
# A memory-backed folder (tmpfs) where mat2 may briefly see a file; mat2 is not used unless
# this is a tmpfs, so no plaintext ever lands on a disk.
MASTHEAD_TIPS_SCRUB_DIR = os.environ.get(
    "MASTHEAD_TIPS_SCRUB_DIR",
    "/dev/shm",  # noqa: S108 - mat2 works in a fresh 0700 folder of its own in there
)

# --- Passwords and sessions -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Headers --------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview views allow themselves in the editor's own frame; nothing else may frame us.
X_FRAME_OPTIONS = "DENY"

# --- Languages ------------------------------------------------------------------------------
# English is the newsroom's source language; every page can exist in each of these languages,
# at /<code>/... (English at the root). Names are each language's own, as the switcher shows them.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("es", "Español"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The "Machine translate" button in wagtail-localize's editor uses Masthead's engine.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "masthead.translation.machine_translator.MastheadMachineTranslator",
    "OPTIONS": {},
}

# --- Machine translation --------------------------------------------------------------------
# "argos": Argos Translate models installed with `manage.py translation_install` (offline);
# "libretranslate": a LibreTranslate server at MASTHEAD_LIBRETRANSLATE_URL; "none": no machine
# translation (editors translate by hand).
MASTHEAD_TRANSLATION_ENGINE = os.environ.get("MASTHEAD_TRANSLATION_ENGINE", "argos")
if MASTHEAD_TRANSLATION_ENGINE not in {"argos", "libretranslate", "none"}:
    raise ImproperlyConfigured(
        "MASTHEAD_TRANSLATION_ENGINE must be argos, libretranslate or none, "
        f"not {MASTHEAD_TRANSLATION_ENGINE!r}"
    )
MASTHEAD_TRANSLATION_MODELS_DIR = Path(
    os.environ.get("MASTHEAD_TRANSLATION_MODELS_DIR") or DATA_DIR / "translation-models"
).resolve()
# The largest model archive `translation_install` accepts, unpacked, in megabytes.
MASTHEAD_TRANSLATION_MAX_PACKAGE_MB = env_int("MASTHEAD_TRANSLATION_MAX_PACKAGE_MB", 1024)
MASTHEAD_TRANSLATION_BEAM_SIZE = env_int("MASTHEAD_TRANSLATION_BEAM_SIZE", 2)
# CPU threads for translation in the worker (0: one per core).
MASTHEAD_TRANSLATION_THREADS = env_int("MASTHEAD_TRANSLATION_THREADS", 0)
MASTHEAD_LIBRETRANSLATE_URL = os.environ.get("MASTHEAD_LIBRETRANSLATE_URL", "").rstrip("/")
MASTHEAD_LIBRETRANSLATE_API_KEY = os.environ.get("MASTHEAD_LIBRETRANSLATE_API_KEY", "")
# Seconds before a machine translation call is abandoned (and retried later).
MASTHEAD_TRANSLATION_TIMEOUT = env_int("MASTHEAD_TRANSLATION_TIMEOUT", 120)
# Attempts per article and language before a translation is marked failed.
MASTHEAD_TRANSLATION_ATTEMPTS = env_int("MASTHEAD_TRANSLATION_ATTEMPTS", 4)

# --- Donations (Stripe) ---------------------------------------------------------------------
# The outlet's own Stripe account; without STRIPE_SECRET_KEY the Support page says donations
# are not open yet. Keys only ever come from the environment.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Another Stripe-compatible API address (an emulator such as localstripe, or an egress proxy).
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "").rstrip("/")
# Retries of a failed request to Stripe (with the same idempotency key) before giving up.
STRIPE_MAX_NETWORK_RETRIES = env_int("STRIPE_MAX_NETWORK_RETRIES", 2)
# Where the Support page's forms may continue to (Checkout and the Customer Portal).
MASTHEAD_STRIPE_FORM_ORIGINS = env_list(
    "MASTHEAD_STRIPE_FORM_ORIGINS", ["https://checkout.stripe.com", "https://billing.stripe.com"]
)
# The currency a new site's Support settings start with (each site can change it).
MASTHEAD_DONATION_CURRENCY = os.environ.get("MASTHEAD_DONATION_CURRENCY", "usd").lower()
# "Manage my donation": how long a sign-in link works, and how many may be asked for per
# e-mail address and per network address in 15 minutes.
MASTHEAD_SIGN_IN_LINK_MINUTES = env_int("MASTHEAD_SIGN_IN_LINK_MINUTES", 30)
MASTHEAD_SIGN_IN_LINKS_PER_EMAIL = env_int("MASTHEAD_SIGN_IN_LINKS_PER_EMAIL", 3)
MASTHEAD_SIGN_IN_LINKS_PER_IP = env_int("MASTHEAD_SIGN_IN_LINKS_PER_IP", 10)
# The request header in which the reverse proxy in front passes the reader's network address
# (as a WSGI name, e.g. HTTP_X_REAL_IP); empty: the connection's own address. Only set it when
# every request comes through that proxy, or readers could claim any address.
MASTHEAD_CLIENT_IP_HEADER = os.environ.get("MASTHEAD_CLIENT_IP_HEADER", "")

# --- Time -----------------------------------------------------------------------------------
TIME_ZONE = os.environ.get("MASTHEAD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MASTHEAD_MEDIA_DIR") or DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads (images, documents): "local" keeps them in MEDIA_ROOT; "s3" puts them in a bucket
# of S3-compatible storage (AWS, MinIO, Garage, Backblaze, ...) with django-storages.
MASTHEAD_MEDIA_STORAGE = os.environ.get("MASTHEAD_MEDIA_STORAGE", "local").strip().lower()
# Another site that serves uploaded images (reader pages' Content-Security-Policy allows it).
MASTHEAD_MEDIA_ORIGIN = ""
if MASTHEAD_MEDIA_STORAGE == "s3":
    STORAGES["default"], MASTHEAD_MEDIA_ORIGIN = _s3_media_storage()
elif MASTHEAD_MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(
        f"MASTHEAD_MEDIA_STORAGE must be local or s3, not {MASTHEAD_MEDIA_STORAGE!r}"
    )
MASTHEAD_MEDIA_ORIGIN = os.environ.get("MASTHEAD_MEDIA_ORIGIN", MASTHEAD_MEDIA_ORIGIN).rstrip("/")
# The embedded server serves local uploads itself; behind a production web server, turn it off.
MASTHEAD_SERVE_MEDIA = env_bool("MASTHEAD_SERVE_MEDIA", MASTHEAD_MEDIA_STORAGE == "local")
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("MASTHEAD_SITE_NAME", "Masthead")
WAGTAILADMIN_BASE_URL = os.environ.get("MASTHEAD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from Gravatar: the editor must not leak staff e-mail hashes to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Request warnings about the tip box are not logged: they would record when someone used it.
    "filters": {"leave_out_tip_box": {"()": "masthead.runtime.access_log.LeaveOutTipBox"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["leave_out_tip_box"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MASTHEAD_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs every page created, edited and published; the editor's history has that.
        "wagtail": {"level": os.environ.get("MASTHEAD_WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}
