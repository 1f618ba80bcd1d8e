"""Configuration, read from environment variables only.

With no environment set the app runs on the *embedded default*: a SQLite file under
instance/, background jobs run inline right after commit, in-memory cache and rate
limits, Socket.IO in threading mode. Setting DATABASE_URL and REDIS_URL switches to
PostgreSQL, RQ workers and Redis for cache, limits and the Socket.IO message queue.
"""
from __future__ import annotations

import hashlib
import ipaddress
import hmac
import os
import re
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """A required setting is missing or invalid; raised at start, never at request time."""


def _thresholds(text: str) -> dict[str, int]:
    """``"EUR=50000,*=100000"`` -> {"EUR": 50000, "*": 100000} (minor units, 0 or more)."""
    found = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, amount = part.partition("=")
        if not sep or not amount.strip().isdigit() or not (code.strip() == "*" or (
                len(code.strip()) == 3 and code.strip().isalpha())):
            raise ValueError(f"REFUND_APPROVAL_THRESHOLD: {part!r} is not CUR=minor_units")
        found[code.strip().upper()] = int(amount.strip())
    return found


def _weights(text: str) -> dict[str, int]:
    """``"disposable_email=35,new_account=15"`` -> {"disposable_email": 35, ...}."""
    found = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, weight = part.partition("=")
        if not sep or not weight.strip().lstrip("-").isdigit():
            raise ValueError(f"FRAUD_SCORE_WEIGHTS: {part!r} is not signal=weight")
        found[name.strip()] = int(weight.strip())
    return found


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    # SQLAlchemy 2.1 maps bare postgresql:// to psycopg 3; we ship psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def _engine_options(url: str, env: dict) -> dict:
    if not url.startswith("postgresql"):
        return {}
    return {
        # Enough connections for every thread of a web worker, so none waits or reconnects.
        "pool_size": int(env.get("DB_POOL_SIZE", "10")),
        "max_overflow": int(env.get("DB_MAX_OVERFLOW", "10")),
        # Recycling bounds a connection's age instead of pinging on every checkout (a
        # round trip per request); set DB_POOL_PRE_PING=1 behind flaky networks.
        "pool_recycle": int(env.get("DB_POOL_RECYCLE_SECONDS", "300")),
        "pool_pre_ping": _bool(env.get("DB_POOL_PRE_PING"), False),
        # Timestamps come back in UTC whatever the server's TimeZone, so they render with
        # "+00:00" in JSON however they are rendered (Python or the database).
        "connect_args": {"options": "-c timezone=UTC"},
    }


def _non_negative(env: dict, name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number >= 0, not {raw!r}")
    return int(raw)


def _positive(env: dict, name: str, default: int) -> int:
    value = _non_negative(env, name, default)
    if value == 0:
        raise ConfigError(f"{name} must be a whole number > 0")
    return value


_ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?")


def cors_origins(value: str | None) -> tuple[str, ...]:
    """CORS_ORIGINS: comma-separated origins (scheme://host[:port], exactly as a browser
    sends them) allowed to call /api/* from a web page, or `*` for any; none by default.
    Refused here, at start, when malformed: a trailing slash or a path never matches."""
    origins = tuple(o.strip().lower() for o in (value or "").split(",") if o.strip())
    if "*" in origins and len(origins) > 1:
        raise ConfigError("CORS_ORIGINS is either `*` or a list of origins, not both")
    bad = [o for o in origins if o != "*" and not _ORIGIN.fullmatch(o)]
    if bad:
        raise ConfigError(f"CORS_ORIGINS: not an origin (scheme://host[:port]): {', '.join(bad)}")
    return origins


# Environments that may run with development conveniences; every other APP_ENV is secure.
RELAXED_ENVIRONMENTS = frozenset({"development", "testing"})
_BASE_URL = re.compile(r"https?://[^/\s?#]+(/[^\s?#]*)?")
MIN_SECRET_BYTES = 32


def app_environment(value: str | None) -> str:
    """APP_ENV, lower-cased; "test" is read as "testing"."""
    name = (value or "development").strip().lower()
    return "testing" if name == "test" else name


def _check_secret(name: str, value: str) -> None:
    # A length and a crude variety check: refuses "x", "changeme" and "s" * 32, which is
    # what a key that is not random looks like.
    if len(value.encode()) < MIN_SECRET_BYTES or len(set(value)) < 8:
        raise ConfigError(f"{name} must be at least {MIN_SECRET_BYTES} random bytes, e.g. "
                          "python -c 'import secrets; print(secrets.token_urlsafe(48))'")


def hkdf_sha256(key: bytes, info: bytes, length: int = 32) -> bytes:
    """RFC 5869 HKDF with SHA-256 and an empty salt: a key for one purpose out of SECRET_KEY."""
    prk = hmac.new(b"\0" * 32, key, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def write_private(path: Path, text: str) -> None:
    """Write a secret file readable by its owner only (0600), never briefly wider."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older file keeps its mode through O_CREAT
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _rate_limit(name: str, value: str) -> str:
    """A Flask-Limiter rate string ("200 per 2 seconds"), refused at start when it does not
    parse: at request time it would fail every request."""
    from limits import parse_many

    try:
        if parse_many(value):
            return value
    except ValueError:
        pass
    raise ConfigError(f"{name}: not a rate limit such as '200 per 2 seconds': {value!r}")


def networks(name: str, value: str) -> tuple:
    """A comma-separated list of addresses or CIDR networks."""
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in value.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None


def load(env: dict[str, str] | None = None, **overrides) -> dict:
    """Build the Flask config mapping from ``env`` (default: os.environ)."""
    env = dict(os.environ if env is None else env)
    env.update({k: str(v) for k, v in overrides.items() if isinstance(v, (str, int, bool))})
    app_env = app_environment(env.get("APP_ENV"))
    secure = app_env not in RELAXED_ENVIRONMENTS
    instance = Path(env.get("INSTANCE_PATH", BASE_DIR / "instance"))

    secret = env.get("SECRET_KEY")
    if not secret:
        if secure:
            raise ConfigError(f"SECRET_KEY must be set when APP_ENV is {app_env!r} "
                              "(only development and testing may go without)")
        # Development only: a per-checkout key kept in instance/, never a fixed value.
        key_file = instance / "dev-secret-key"
        if not key_file.exists():
            write_private(key_file, os.urandom(32).hex())
        elif key_file.stat().st_mode & 0o077:  # written readable by all before #13
            key_file.chmod(0o600)
        secret = key_file.read_text().strip()
    jwt_secret = env.get("JWT_SECRET_KEY") or None
    public_base_url = env.get("PUBLIC_BASE_URL") or None
    if secure:
        _check_secret("SECRET_KEY", secret)
        if jwt_secret:
            _check_secret("JWT_SECRET_KEY", jwt_secret)
        if not public_base_url or not _BASE_URL.fullmatch(public_base_url):
            raise ConfigError(f"PUBLIC_BASE_URL must be set (scheme://host[:port], the address "
                              f"users reach, for links in emails) when APP_ENV is {app_env!r}")

    database_url = normalise_database_url(
        env.get("DATABASE_URL") or f"sqlite:///{instance / 'nextgen.sqlite3'}"
    )
    redis_url = env.get("REDIS_URL") or None

    return {
        "APP_ENV": app_env,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": secret,
        # Every environment but development and testing gets the secure defaults (staff
        # MFA, Secure cookies, HSTS, JSON logs, no demo data): a new name ("staging") is safe.
        "SECURE_ENVIRONMENT": secure,
        "TESTING": app_env == "testing",
        # Tests only: a request carrying X-Test-Crash: before-commit kills its worker with
        # SIGKILL just before the unit of work commits (crash-safety of Idempotency-Key).
        "TEST_CRASH_HOOK": app_env == "testing" and env.get("TEST_CRASH_HOOK") == "1",
        # Database
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url, env),
        # A PostgreSQL read replica for reads that tolerate lag (the public catalogue
        # list, app.core.readonly.replica_engine); unset: everything reads the primary.
        "DATABASE_REPLICA_URL": normalise_database_url(env["DATABASE_REPLICA_URL"])
        if env.get("DATABASE_REPLICA_URL") else None,
        # Redis: queues, cache, rate limits, Socket.IO message queue. None = embedded.
        "REDIS_URL": redis_url,
        "JOBS_INLINE": _bool(env.get("JOBS_INLINE"), redis_url is None),
        "RQ_JOB_TIMEOUT": int(env.get("RQ_JOB_TIMEOUT", "300")),
        "OUTBOX_REDISPATCH_AFTER_SECONDS": int(env.get("OUTBOX_REDISPATCH_AFTER_SECONDS", "30")),
        # Audit archive: entries older than AUDIT_ARCHIVE_DAYS move to object storage
        # (gzip JSON lines with their hashes). "local" keeps them in AUDIT_ARCHIVE_DIR;
        # "azure" in the Blob Storage container AUDIT_ARCHIVE_CONTAINER of the account in
        # AZURE_STORAGE_CONNECTION_STRING. 0 days: never archive.
        "AUDIT_ARCHIVE_DAYS": int(env.get("AUDIT_ARCHIVE_DAYS", "365")),
        "AUDIT_ARCHIVE_STORAGE": env.get("AUDIT_ARCHIVE_STORAGE", "local"),
        "AUDIT_ARCHIVE_DIR": env.get("AUDIT_ARCHIVE_DIR") or str(instance / "audit-archive"),
        "AUDIT_ARCHIVE_CONTAINER": env.get("AUDIT_ARCHIVE_CONTAINER", "audit-archive"),
        "AZURE_STORAGE_CONNECTION_STRING": env.get("AZURE_STORAGE_CONNECTION_STRING") or None,
        # Retention (app.retention, `flask retention purge`, the daily job): finished rows
        # older than this many days are deleted; 0 keeps them forever. Events: the outbox
        # and the public webhook events partners list and replay (Stripe keeps 30 days);
        # the webhook log: deliveries given up or accepted, with their attempts; gateway
        # events: those applied. Never a row still pending, failing or due for a retry.
        "EVENT_RETENTION_DAYS": _non_negative(env, "EVENT_RETENTION_DAYS", 30),
        "WEBHOOK_LOG_RETENTION_DAYS": _non_negative(env, "WEBHOOK_LOG_RETENTION_DAYS", 30),
        "GATEWAY_EVENT_RETENTION_DAYS": _non_negative(env, "GATEWAY_EVENT_RETENTION_DAYS", 90),
        # Rows per delete transaction: short locks, no huge transaction, whatever piled up.
        "RETENTION_BATCH_SIZE": _positive(env, "RETENTION_BATCH_SIZE", 1000),
        # The catalogue's list cache lives in Redis, shared by every worker, so one write's
        # invalidation reaches them all. Embedded there is none: a cache inside a process
        # cannot hear of writes made by another process, and would serve stale pages.
        "CACHE_TYPE": "RedisCache" if redis_url else "NullCache",
        "CACHE_NO_NULL_WARNING": True,
        "CACHE_REDIS_URL": redis_url,
        # The longest a page can be served after a write made outside the services (SQL
        # by hand): every service write invalidates at once.
        "CACHE_DEFAULT_TIMEOUT": int(env.get("CACHE_DEFAULT_TIMEOUT", "300")),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        # A fixed window lets twice the limit through across its boundary (5 failures
        # before the minute turns, 5 after); the moving window counts the last minute.
        "RATELIMIT_STRATEGY": env.get("RATELIMIT_STRATEGY", "moving-window"),
        # app/core/rate_limits.py writes the RateLimit-* and Retry-After headers itself.
        "RATELIMIT_HEADERS_ENABLED": False,
        # The default limit per client (API key, else user, else address) over every route,
        # shared by all workers through Redis: 100 requests a second on average, and a
        # burst of up to 200 (the window is 2 seconds). Flask-Limiter's own
        # RATELIMIT_DEFAULT config key would make it a limit per route, hence the name.
        "RATELIMIT_PER_CLIENT": _rate_limit("RATELIMIT_DEFAULT",
                                     env.get("RATELIMIT_DEFAULT", "200 per 2 seconds")),
        # Redis unreachable: count in memory (Flask-Limiter logs a warning) and go back to
        # Redis when it answers again; a login never fails because the counter store did.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": ({"socket_connect_timeout": 1, "socket_timeout": 1}
                                      if redis_url else {}),
        # Failed sign-ins, per account (normalised email) and per client IP; a known
        # device has its own bucket (app/core/login_throttle.py says why).
        "LOGIN_RATE_LIMIT_ACCOUNT": env.get("LOGIN_RATE_LIMIT_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_RATE_LIMIT_IP": env.get("LOGIN_RATE_LIMIT_IP", "30 per 15 minutes"),
        # Requests that hash a password (login, sign-up, reset, change), per client IP.
        "PASSWORD_HASH_RATE_LIMIT": env.get("PASSWORD_HASH_RATE_LIMIT", "60 per minute"),
        # Sign-ups per client IP (POST /auth/register, whatever the answer).
        "REGISTER_RATE_LIMIT": env.get("REGISTER_RATE_LIMIT", "10 per hour"),
        # Wrong current passwords on POST /users/me/password, per client IP.
        "PASSWORD_CHANGE_RATE_LIMIT": env.get("PASSWORD_CHANGE_RATE_LIMIT", "5 per 15 minutes"),
        # Wrong TOTP codes per staff member, from devices the member has not signed in on
        # (per session and per address the login limits apply; admin/auth.py says why).
        "MFA_RATE_LIMIT_STAFF": env.get("MFA_RATE_LIMIT_STAFF", "20 per 15 minutes"),
        # How long an emailed link to set up a first second factor works (once).
        "STAFF_MFA_LINK_TTL": timedelta(minutes=int(env.get("STAFF_MFA_LINK_TTL_MINUTES", "30"))),
        "LOGIN_DEVICE_TTL": timedelta(days=int(env.get("LOGIN_DEVICE_TTL_DAYS", "180"))),
        # How many reverse proxies (load balancer, ingress) append to X-Forwarded-For in
        # front of the app: the client IP is taken that many hops from the right. 0 = the
        # app is reached directly and X-Forwarded-For is ignored (a client could forge it).
        "TRUSTED_PROXIES": _non_negative(env, "TRUSTED_PROXIES", 0),
        # /metrics answers a client at one of these addresses (as seen through the trusted
        # proxies), or one sending "Authorization: Bearer $METRICS_TOKEN"; nobody else.
        "METRICS_ALLOWED_NETWORKS": networks(
            "METRICS_ALLOWED_NETWORKS", env.get("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")),
        "METRICS_TOKEN": env.get("METRICS_TOKEN") or None,
        # Request bodies larger than this are refused with 413.
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(1024 * 1024))),
        # Identity
        "JWT_ACCESS_TTL": timedelta(seconds=int(env.get("JWT_ACCESS_TTL_SECONDS", "900"))),
        "JWT_REFRESH_TTL": timedelta(days=int(env.get("JWT_REFRESH_TTL_DAYS", "30"))),
        "EMAIL_TOKEN_TTL": timedelta(hours=int(env.get("EMAIL_TOKEN_TTL_HOURS", "48"))),
        "PASSWORD_RESET_TTL": timedelta(hours=int(env.get("PASSWORD_RESET_TTL_HOURS", "2"))),
        "PASSWORD_HASH_PROFILE": env.get("PASSWORD_HASH_PROFILE", "strong"),
        # Access tokens are signed with JWT_SECRET_KEY, else with a key derived from
        # SECRET_KEY by HKDF-SHA256 under its own label: never SECRET_KEY itself, so a token
        # cannot be used to attack the key of sessions and signed links, and the reverse.
        "JWT_SIGNING_KEY": (jwt_secret.encode() if jwt_secret
                            else hkdf_sha256(secret.encode(), b"nextgen-market/jwt-access/v1")),
        "PUBLIC_BASE_URL": (public_base_url or "http://127.0.0.1:5000").rstrip("/"),
        "STAFF_MFA_REQUIRED": _bool(env.get("STAFF_MFA_REQUIRED"), secure),
        "DEMO_ADMIN_PASSWORD": env.get("DEMO_ADMIN_PASSWORD") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), secure),
        "WTF_CSRF_TIME_LIMIT": None,
        # Strict-Transport-Security max-age (seconds) in secure environments; 0 = not sent.
        "HSTS_MAX_AGE": _non_negative(env, "HSTS_MAX_AGE", 31536000) if secure else 0,
        # Email (SMTP)
        "SMTP_HOST": env.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": int(env.get("SMTP_PORT", "1025")),
        "SMTP_USERNAME": env.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS"), False),
        # Implicit TLS (port 465); SMTP_STARTTLS upgrades a plain connection (587).
        "SMTP_SSL": _bool(env.get("SMTP_SSL"), False),
        "SMTP_TIMEOUT": float(env.get("SMTP_TIMEOUT", "10")),
        # smtp with SMTP_HOST. Without it: development writes each email to
        # instance/outbox/ (shown in the back office); any secure environment refuses to
        # send and fails /readyz ("unconfigured"). "log" (tests) logs recipient and subject,
        # never the body (reset and verification tokens).
        "MAIL_BACKEND": env.get("MAIL_BACKEND") or (
            "smtp" if env.get("SMTP_HOST") else "unconfigured" if secure else "outbox"),
        "MAIL_FROM": env.get("MAIL_FROM", "NextGen Market <no-reply@nextgen.example>"),
        "MAIL_REPLY_TO": env.get("MAIL_REPLY_TO") or None,
        # List-Unsubscribe target of reminders (a mailto: or https: URL); default: mailto
        # the From address.
        "MAIL_UNSUBSCRIBE": env.get("MAIL_UNSUBSCRIBE") or None,
        # SMS (Twilio). TWILIO_API_BASE points the SDK at another server (tests' fake).
        "TWILIO_ACCOUNT_SID": env.get("TWILIO_ACCOUNT_SID") or None,
        "TWILIO_AUTH_TOKEN": env.get("TWILIO_AUTH_TOKEN") or None,
        "TWILIO_FROM": env.get("TWILIO_FROM") or "+15005550006",
        "TWILIO_API_BASE": (env.get("TWILIO_API_BASE") or "").rstrip("/") or None,
        "TWILIO_TIMEOUT_SECONDS": float(env.get("TWILIO_TIMEOUT_SECONDS", "10")),
        "SMS_BACKEND": env.get("SMS_BACKEND") or (
            "twilio" if env.get("TWILIO_ACCOUNT_SID") else "unconfigured" if secure else "outbox"),
        # The platform's retry policy; backoff doubles from NOTIFY_BACKOFF_SECONDS, jittered.
        "NOTIFY_EMAIL_MAX_ATTEMPTS": int(env.get("NOTIFY_EMAIL_MAX_ATTEMPTS", "5")),
        "NOTIFY_SMS_MAX_ATTEMPTS": int(env.get("NOTIFY_SMS_MAX_ATTEMPTS", "3")),
        "NOTIFY_BACKOFF_SECONDS": float(env.get("NOTIFY_BACKOFF_SECONDS", "30")),
        # A send still "sending" after this long was interrupted (its worker died).
        "NOTIFY_SENDING_LEASE_SECONDS": int(env.get("NOTIFY_SENDING_LEASE_SECONDS", "600")),
        # Verification and reset links go to the web app when there is one, else to this
        # app's own small pages (PUBLIC_BASE_URL).
        "PUBLIC_WEB_URL": (env.get("PUBLIC_WEB_URL") or "").rstrip("/") or None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(BASE_DIR / "app" / "notifications" / "translations"),
        # API
        "API_TITLE": "NextGen Market API",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
        # validatorUrl None: Swagger UI would otherwise load a badge from
        # validator.swagger.io for every non-local spec URL. Operation ids are shown as
        # they are the SDKs' method names.
        "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None, "displayOperationId": True,
                                      "deepLinking": True},
        # Browser apps on other origins (api/cors.py). Credentials (cookies) are never
        # allowed cross-origin: the API takes bearer tokens in Authorization.
        "CORS_ORIGINS": cors_origins(env.get("CORS_ORIGINS")),
        # How long a browser may reuse a preflight answer (Chromium caps it at 7200).
        "CORS_MAX_AGE": int(env.get("CORS_MAX_AGE_SECONDS", "7200")),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        # Optional: OpenTelemetry traces to an OTLP/HTTP collector, Sentry error reports.
        "OTEL_EXPORTER_OTLP_ENDPOINT": env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or None,
        "OTEL_SERVICE_NAME": env.get("OTEL_SERVICE_NAME") or "nextgen-market",
        "SENTRY_DSN": env.get("SENTRY_DSN") or None,
        "SENTRY_TRACES_SAMPLE_RATE": float(env.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        "LOG_JSON": _bool(env.get("LOG_JSON"), secure),
        # Invoices: the seller printed on every invoice (snapshotted at finalisation). The
        # defaults are demo values: set the real ones in production.
        "SELLER_NAME": env.get("SELLER_NAME", "NextGen Market GmbH"),
        "SELLER_ADDRESS": {k: v for k, v in {
            "line1": env.get("SELLER_ADDRESS_LINE1", "Friedrichstraße 1"),
            "line2": env.get("SELLER_ADDRESS_LINE2", ""),
            "postal_code": env.get("SELLER_POSTAL_CODE", "10117"),
            "city": env.get("SELLER_CITY", "Berlin"),
            "region": env.get("SELLER_REGION", ""),
            "country": env.get("SELLER_COUNTRY", "DE").upper()}.items() if v},
        "SELLER_COUNTRY": env.get("SELLER_COUNTRY", "DE").upper(),
        "SELLER_TAX_ID": env.get("SELLER_TAX_ID", "DE123456789"),
        # Business dates (issue date, tax date, number year) are the seller's, not the host's.
        "SELLER_TIMEZONE": env.get("SELLER_TIMEZONE", "Europe/Berlin"),
        # Currencies whose catalogue prices include tax (EU B2C shops show gross prices).
        "TAX_INCLUSIVE_CURRENCIES": frozenset(
            c.strip().upper() for c in env.get("TAX_INCLUSIVE_CURRENCIES", "").split(",")
            if c.strip()),
        "SELLER_EMAIL": env.get("SELLER_EMAIL", "billing@nextgen.example"),
        "SELLER_BANK": {"name": env.get("SELLER_BANK_NAME", "Demo Bank"),
                        "iban": env.get("SELLER_BANK_IBAN", "DE89370400440532013000"),
                        "bic": env.get("SELLER_BANK_BIC", "COBADEFFXXX")},
        "SELLER_LOGO_PATH": env.get("SELLER_LOGO_PATH") or None,  # PNG or JPEG
        # EU VAT ids are checked with VIES (REST API) before reverse charge applies; a
        # successful check counts for VAT_CHECK_MAX_AGE_DAYS, then the id is checked again.
        "VIES_URL": env.get("VIES_URL", "https://ec.europa.eu/taxation_customs/vies/rest-api"
                            ).rstrip("/"),
        "VIES_TIMEOUT_SECONDS": float(env.get("VIES_TIMEOUT_SECONDS", "10")),
        "VAT_CHECK_MAX_AGE_DAYS": int(env.get("VAT_CHECK_MAX_AGE_DAYS", "30")),
        # Card payments (Stripe). Without STRIPE_API_KEY card payments answer 503 naming
        # what is missing, and the rest works; STRIPE_API_BASE points the SDK at another
        # server (a local fake such as localstripe in tests and development).
        "STRIPE_API_KEY": env.get("STRIPE_API_KEY") or None,
        "STRIPE_WEBHOOK_SECRET": env.get("STRIPE_WEBHOOK_SECRET") or None,
        "STRIPE_API_BASE": (env.get("STRIPE_API_BASE") or "").rstrip("/") or None,
        "STRIPE_TIMEOUT_SECONDS": float(env.get("STRIPE_TIMEOUT_SECONDS", "10")),
        # Network errors, 5xx and 429 only, with exponential backoff; never a decline.
        "STRIPE_MAX_NETWORK_RETRIES": int(env.get("STRIPE_MAX_NETWORK_RETRIES", "3")),
        "STRIPE_WEBHOOK_TOLERANCE_SECONDS": int(env.get("STRIPE_WEBHOOK_TOLERANCE_SECONDS", "300")),
        # PayPal (paypal-server-sdk). Without PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET
        # PayPal payments answer 503 naming what is missing; webhooks also need
        # PAYPAL_WEBHOOK_ID (verified by PayPal's verify-webhook-signature API).
        # PAYPAL_ENVIRONMENT: sandbox (default) or live; PAYPAL_API_BASE points the SDK at
        # another server (the tests' fake). Retries: 429 and 5xx, exponential backoff.
        "PAYPAL_CLIENT_ID": env.get("PAYPAL_CLIENT_ID") or None,
        "PAYPAL_CLIENT_SECRET": env.get("PAYPAL_CLIENT_SECRET") or None,
        "PAYPAL_WEBHOOK_ID": env.get("PAYPAL_WEBHOOK_ID") or None,
        "PAYPAL_ENVIRONMENT": (env.get("PAYPAL_ENVIRONMENT") or "sandbox").lower(),
        "PAYPAL_API_BASE": (env.get("PAYPAL_API_BASE") or "").rstrip("/") or None,
        "PAYPAL_TIMEOUT_SECONDS": float(env.get("PAYPAL_TIMEOUT_SECONDS", "10")),
        "PAYPAL_MAX_RETRIES": int(env.get("PAYPAL_MAX_RETRIES", "3")),
        "PAYPAL_RETRY_BACKOFF": float(env.get("PAYPAL_RETRY_BACKOFF", "2")),
        # Where PayPal sends the buyer back after the approval page ({payment_id} is
        # replaced); unset: the app opens the approval link in PayPal's pop-up instead.
        "PAYPAL_RETURN_URL": env.get("PAYPAL_RETURN_URL") or None,
        "PAYPAL_CANCEL_URL": env.get("PAYPAL_CANCEL_URL") or None,
        # Reconciliation (jobs.periodic.reconcile_payments): the gateways' payments and
        # refunds of the last RECONCILE_WINDOW_HOURS compared with ours, every hour.
        "RECONCILE_WINDOW_HOURS": int(env.get("RECONCILE_WINDOW_HOURS", "72")),
        # A payment or refund request whose process died between the gateway call and its
        # commit is taken over by a retry with the same Idempotency-Key after this long
        # (longer than a gateway call with all its retries can take).
        "PAYMENT_RESUME_AFTER_SECONDS": int(env.get("PAYMENT_RESUME_AFTER_SECONDS", "60")),
        # Maker-checker: a refund taking a payment's refunds (done, in flight and this
        # one) above the threshold of its currency waits for a second staff member.
        # "EUR=50000,JPY=50000,*=50000": minor units per ISO 4217 currency, "*" for the
        # others; a currency with neither never needs approval.
        "REFUND_APPROVAL_THRESHOLD": _thresholds(env.get("REFUND_APPROVAL_THRESHOLD", "*=50000")),
        # Fraud screening (app/fraud). Without a matching rule the risk score (0-100)
        # decides: review from FRAUD_REVIEW_SCORE, block from FRAUD_BLOCK_SCORE.
        "FRAUD_REVIEW_SCORE": int(env.get("FRAUD_REVIEW_SCORE", "65")),
        "FRAUD_BLOCK_SCORE": int(env.get("FRAUD_BLOCK_SCORE", "90")),
        # Signal weights, "disposable_email=35,new_account=15" (app.fraud.score names them).
        "FRAUD_SCORE_WEIGHTS": _weights(env.get("FRAUD_SCORE_WEIGHTS", "")),
        # An amount at or above this (minor units per currency, "*" for the others) is a signal.
        "FRAUD_HIGH_AMOUNT": _thresholds(env.get("FRAUD_HIGH_AMOUNT", "*=100000")),
        "FRAUD_NEW_ACCOUNT_DAYS": float(env.get("FRAUD_NEW_ACCOUNT_DAYS", "1")),
        "FRAUD_VELOCITY_MAX_ORDERS": int(env.get("FRAUD_VELOCITY_MAX_ORDERS", "10")),
        "FRAUD_FAILED_PAYMENTS_PER_DAY": int(env.get("FRAUD_FAILED_PAYMENTS_PER_DAY", "3")),
        # The header a trusted proxy or CDN sets to the client IP's country (Cloudflare:
        # CF-IPCountry); empty: ip_country is unknown. Only trusted behind TRUSTED_PROXIES.
        "FRAUD_IP_COUNTRY_HEADER": env.get("FRAUD_IP_COUNTRY_HEADER", "CF-IPCountry"),
        "FRAUD_DISPOSABLE_DOMAINS_FILE": env.get("FRAUD_DISPOSABLE_DOMAINS_FILE") or None,
        # Dry runs replay a draft rule over this many latest orders; a rule change that
        # would match more than this share of them waits for a second admin.
        "FRAUD_DRY_RUN_ORDERS": int(env.get("FRAUD_DRY_RUN_ORDERS", "500")),
        "FRAUD_RULE_APPROVAL_IMPACT": float(env.get("FRAUD_RULE_APPROVAL_IMPACT", "0.05")),
        # Outgoing webhooks (app/webhooks). Private, loopback and link-local targets are
        # refused unless this is set (tests, local development); https only in production.
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": _bool(env.get("WEBHOOK_ALLOW_PRIVATE_TARGETS"), False),
        "WEBHOOK_TIMEOUT_SECONDS": float(env.get("WEBHOOK_TIMEOUT_SECONDS", "5")),
        # Embedded default: the first attempt runs in the request after its commit.
        "WEBHOOK_INLINE_TIMEOUT_SECONDS": float(env.get("WEBHOOK_INLINE_TIMEOUT_SECONDS", "2")),
        # How many first attempts of one event the fan-out job makes at once.
        "WEBHOOK_FANOUT_CONCURRENCY": int(env.get("WEBHOOK_FANOUT_CONCURRENCY", "8")),
        # Retries: full jitter up to min(cap, base * 2^(n-1)) seconds, for the window.
        "WEBHOOK_RETRY_BASE_SECONDS": float(env.get("WEBHOOK_RETRY_BASE_SECONDS", "30")),
        "WEBHOOK_RETRY_CAP_SECONDS": float(env.get("WEBHOOK_RETRY_CAP_SECONDS", "21600")),
        "WEBHOOK_RETRY_WINDOW_SECONDS": int(env.get("WEBHOOK_RETRY_WINDOW_SECONDS", "259200")),
        # How long a rotated-out signing secret still signs (alongside the new one).
        "WEBHOOK_SECRET_OVERLAP_SECONDS": int(env.get("WEBHOOK_SECRET_OVERLAP_SECONDS", "86400")),
        # Invoice PDFs and exports: "local" = files under INVOICE_STORAGE_DIR.
        "INVOICE_STORAGE_BACKEND": env.get("INVOICE_STORAGE_BACKEND", "local"),
        "INVOICE_STORAGE_DIR": env.get("INVOICE_STORAGE_DIR") or str(instance / "invoices"),
    }
