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
    # Repeated refusals of one caller on one route are one audit row per window (with a counter).
    REFUSAL_WINDOW_MINUTES = 10
    # Behind a reverse proxy (nginx terminating HTTPS): trust its X-Forwarded-For/-Proto (one hop).
    PROXY_FIX = os.environ.get("PROXY_FIX", "") == "1"
    # The audit trail is never deleted; this is the minimum it is kept (网络安全法 art. 21: at least six months).
    # create_app refuses a value under 180 days.
    AUDIT_RETENTION_MIN_DAYS = int(os.environ.get("AUDIT_RETENTION_MIN_DAYS", "180"))
    AUDIT_EXPORT_MAX_ROWS = int(os.environ.get("AUDIT_EXPORT_MAX_ROWS", "100000"))
    # flask-smorest / OpenAPI
    API_TITLE = "nominate API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    JSON_AS_ASCII = False
