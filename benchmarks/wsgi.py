"""The app as benchmarks/run.py serves it with gunicorn: the database from BENCH_DATABASE_URL, the clock
pinned to the national data set's day, CSRF and rate limits off (benchmark only: wrk posts no forms); no job
thread in the web workers (as in production: the worker is its own process); the page cache on or off
(BENCH_PAGE_CACHE), in Redis when BENCH_CACHE_URL is set, else in each worker's memory."""
import os

from nominate import create_app

app = create_app({
    "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench"),
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "NOMINATE_TODAY": "2021-10-20",
    "JOBS_WORKER_THREAD": "0",
    "PAGE_CACHE": os.environ.get("BENCH_PAGE_CACHE", "1"),
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL") or None,
})
