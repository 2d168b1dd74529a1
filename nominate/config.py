"""Configuration read from the environment (12-factor); tests pass a dict to create_app."""
import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default set in create_app
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    TIMEZONE = "Asia/Shanghai"
    # Pins "today" for demos and training (YYYY-MM-DD). Never set it in production.
    NOMINATE_TODAY = os.environ.get("NOMINATE_TODAY") or None
    WORKFLOWS_DIR = os.environ.get("NOMINATE_WORKFLOWS_DIR")  # default: <repo>/workflows
    PASSWORD_HASH_METHOD = "scrypt"
    # Password policy (等保 2.0 第三级), checked by accounts.passwords: length, classes of upper/lower/digit/
    # symbol, zxcvbn score 0-4 (3 = "safely unguessable": about 10^8 guesses and more).
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_MIN_CLASSES = 3
    PASSWORD_MIN_SCORE = 3
    # Two factors (TOTP, RFC 6238): the roles that must use them (role keys, comma-separated), the name the
    # authenticator app shows, the time steps of tolerated clock drift either side, and recovery codes issued.
    TWO_FACTOR_ROLES = os.environ.get(
        "NOMINATE_TWO_FACTOR_ROLES",
        "province_office,admin,signer_discipline,signer_personnel,signer_police,ministry")
    TOTP_ISSUER = os.environ.get("NOMINATE_TOTP_ISSUER", "优质服务推荐评选")
    TOTP_VALID_WINDOW = 1
    RECOVERY_CODE_COUNT = 10
    # Sessions: ended after this many minutes without a request (等保 2.0 第三级: 登录连接超时自动退出); the
    # last-activity time is written at most once per SESSION_TOUCH_MINUTES (a read stays a read).
    SESSION_IDLE_MINUTES = float(os.environ.get("NOMINATE_SESSION_IDLE_MINUTES", "30"))
    SESSION_TOUCH_MINUTES = float(os.environ.get("NOMINATE_SESSION_TOUCH_MINUTES", "5"))
    # The admin's invitation links expire after this many hours and open once.
    INVITATION_VALID_HOURS = float(os.environ.get("NOMINATE_INVITATION_VALID_HOURS", "72"))
    UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins (successful ones are not counted): per (account name, client address) pair, with
    # growing waits (5 failures: wait out the minute; 10: the quarter hour; 20: the day), so nobody can
    # lock an account out from another address; and per client address (one address spraying accounts).
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT",
                                             "5 per minute; 10 per 15 minutes; 20 per day")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 5 minutes")
    # Single sign-on by OpenID Connect (the provincial 统一身份认证 platform; accounts.oidc, README "统一身份认证").
    # Off while OIDC_ISSUER is empty. Discovery: OIDC_DISCOVERY_URL, default <issuer>/.well-known/openid-configuration.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
    OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile")
    # The claim (ID token, else userinfo) whose value an admin stored on the account (用户的“统一身份认证标识”):
    # sub, preferred_username, or the platform's 工号 claim.
    OIDC_MATCH_CLAIM = os.environ.get("OIDC_MATCH_CLAIM", "preferred_username")
    # The provider's assertion that it checked a second factor: any of these amr values (RFC 8176), or an acr
    # value listed here. Space- or comma-separated.
    OIDC_MFA_AMR = os.environ.get("OIDC_MFA_AMR", "mfa otp hwk swk sc sms tel")
    OIDC_MFA_ACR = os.environ.get("OIDC_MFA_ACR", "")
    OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "统一身份认证平台")
    # The callback registered at the platform, when the app cannot see its public address (default: this
    # host's /login/oidc/callback, as the browser reaches it; PROXY_FIX behind nginx).
    OIDC_REDIRECT_URI = os.environ.get("OIDC_REDIRECT_URI", "")
    OIDC_TIMEOUT_SECONDS = float(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))
    # Local user name + password login. "0": the login page offers only the platform (needs OIDC_ISSUER).
    LOCAL_LOGIN = os.environ.get("LOCAL_LOGIN", "1") != "0"
    # Repeated refusals of one caller on one route are one audit row per window (with a counter).
    REFUSAL_WINDOW_MINUTES = 10
    # Behind a reverse proxy (nginx terminating HTTPS): trust its X-Forwarded-For/-Proto (one hop).
    PROXY_FIX = os.environ.get("PROXY_FIX", "") == "1"
    # The audit trail is never deleted; this is the minimum it is kept (网络安全法 art. 21: at least six months).
    # create_app refuses a value under 180 days.
    AUDIT_RETENTION_MIN_DAYS = int(os.environ.get("AUDIT_RETENTION_MIN_DAYS", "180"))
    AUDIT_EXPORT_MAX_ROWS = int(os.environ.get("AUDIT_EXPORT_MAX_ROWS", "100000"))
    # Background jobs (huey). Unset: a SQLite queue in the instance folder and a worker thread started with
    # the app. redis://… or postgresql://… : the production broker, served by `flask worker` processes.
    # page cache (nominate.caching): Redis when set, else a store local to each process; PAGE_CACHE=0 turns it off
    CACHE_URL = os.environ.get("NOMINATE_CACHE_URL") or None
    PAGE_CACHE = os.environ.get("NOMINATE_PAGE_CACHE") or None  # default: on, off under TESTING
    JOBS_BROKER_URL = os.environ.get("NOMINATE_JOBS_URL") or None
    JOBS_WORKER_THREAD = os.environ.get("NOMINATE_JOBS_THREAD", "auto")  # auto: on when no broker URL is set
    JOBS_QUEUE_NAME = os.environ.get("NOMINATE_JOBS_QUEUE", "nominate")
    # When the periodic jobs run (crontab: minute hour day month weekday, the worker's local time).
    JOBS_SWEEP_SCHEDULE = os.environ.get("NOMINATE_JOBS_SWEEP_SCHEDULE", "* * * * *")  # mail the outbox left behind
    JOBS_REMINDER_SCHEDULE = os.environ.get("NOMINATE_JOBS_REMINDER_SCHEDULE", "5 * * * *")  # deadline reminders
    JOBS_EXPIRE_SCHEDULE = os.environ.get("NOMINATE_JOBS_EXPIRE_SCHEDULE", "*/10 * * * *")  # expired bundles
    # Notifications: links in e-mails, the outbox's retries and its lease on a delivery being sent.
    PUBLIC_URL = os.environ.get("NOMINATE_PUBLIC_URL", "http://127.0.0.1:5000")
    NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "8"))
    NOTIFY_RETRY_SECONDS = float(os.environ.get("NOTIFY_RETRY_SECONDS", "30"))
    NOTIFY_LEASE_SECONDS = float(os.environ.get("NOTIFY_LEASE_SECONDS", "300"))
    # Bundles built as jobs: where their files are kept, and for how long.
    BUNDLE_DIR = os.environ.get("NOMINATE_BUNDLE_DIR") or None  # default: <instance>/bundles
    BUNDLE_KEEP_HOURS = float(os.environ.get("NOMINATE_BUNDLE_KEEP_HOURS", "24"))
    # E-mail over SMTP (Flask-Mailman); no MAIL_SERVER: e-mail deliveries wait in the outbox.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "") == "1"
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "20"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "nominate@localhost")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")  # also under TESTING: the tests run a real SMTP server
    # SMS: "console" logs each text (masked number); "module:Class" names a provider backend.
    SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
    # flask-smorest / OpenAPI
    API_TITLE = "nominate API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    JSON_AS_ASCII = False
