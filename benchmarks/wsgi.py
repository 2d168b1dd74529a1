"""The app as benchmarks/run.py serves it with gunicorn: the database from BENCH_DATABASE_URL, the clock
pinned to the national data set's day, CSRF and rate limits off (benchmark only: wrk posts no forms)."""
import os

from nominate import create_app

app = create_app({
    "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench"),
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "NOMINATE_TODAY": "2021-10-20",
})
