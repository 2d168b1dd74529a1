"""The page cache (issue 18): pages many people open and that change rarely, kept whole and served again
until the data they show changes.

- **Store**: Flask-Caching, Redis when ``NOMINATE_CACHE_URL`` is set (shared by every worker), otherwise a
  store local to the process (``SimpleCache``). Either way an entry is only found under a key that holds the
  database's current data version, so a local store is validated against the database on every request.
- **Data version**: ``data_versions`` rows (one per campaign, one global), raised in the transaction of the
  write itself: ``audit.operations.record`` (the one function that writes an audit row, which every state
  change calls) notes the scope, and the session raises it just before the commit. Actions that change no page
  (``PAGE_NEUTRAL_ACTIONS``: logins, refusals, downloads …) raise nothing; neither do writes that write no audit
  row (a notification read, a refusal counter, activity timestamps).
- **Key**: the view's path and query, the viewer's scope (role, organisation, the nominations the viewer is a
  nominee of, the chosen campaign: ``scope`` registered by the web layer), the data version and today's date
  in Asia/Shanghai (lateness and "days left" change at midnight with no write).
- **Per-user parts** (the viewer's name, the unread count, the CSRF token) are rendered as markers while a
  page is rendered for the cache and filled in for each request; the stored page never holds them.
- **Conditional requests**: an ETag from the key and the per-user parts, ``Cache-Control: private, no-cache``
  and ``Vary: Cookie`` (and ``Authorization``), so a shared browser never gets another user's page from a 304.
"""
from __future__ import annotations

import hashlib
import time
from pathlib import Path
from dataclasses import dataclass, field
from functools import wraps
from typing import Callable

import sqlalchemy as sa
from flask import current_app, make_response, request, session
from flask_caching import Cache
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from nominate.caching.models import DataVersion
from nominate.core import clock, request_memo
from nominate.extensions import db

#: audit actions that change no cached page: they raise no data version
PAGE_NEUTRAL_ACTIONS = frozenset({
    "login", "login_failed", "login_throttled", "logout", "access_denied", "password_changed", "token_issued",
    "token_revoked", "login_unlocked", "document_downloaded", "audit_exported", "bundle_requested",
    "delivery_retried", "job_failed", "session_activity",
})
#: audit actions after which every earlier version may come back (a restore): the global version jumps to the
#: clock (microseconds), above any counter a restored table can hold
RESTORE_ACTIONS = frozenset({"database_restored"})
_PENDING = "nominate.data_versions"
_RENDERING = "nominate.cache.rendering"
_MARK = "@@nominate-part:{}@@"

cache = Cache()


# ---- data versions -------------------------------------------------------------------------------------------

def note_write(action: str, campaign_id: int | None) -> None:
    """Called for every audit row: the scope it changes is raised when the transaction commits."""
    if action in PAGE_NEUTRAL_ACTIONS:
        return
    scope = f"campaign:{campaign_id}" if campaign_id else "global"
    pending = db.session.info.setdefault(_PENDING, {})
    floor = int(time.time() * 1_000_000) if action in RESTORE_ACTIONS else 0
    pending[scope] = max(pending.get(scope, 0), floor)
    if floor:
        pending["global"] = max(pending.get("global", 0), floor)


@event.listens_for(Session, "before_commit")
def _raise_versions(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    table = DataVersion.__table__
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for scope in sorted(pending):  # one order for every transaction: two writers never deadlock on these rows
        floor = pending[scope]
        stmt = insert(table).values(scope=scope, version=max(1, floor))
        raised = sa.case((table.c.version + 1 > floor, table.c.version + 1), else_=sa.literal(floor, sa.BigInteger))
        session.execute(stmt.on_conflict_do_update(index_elements=["scope"], set_={"version": raised}))


@event.listens_for(Session, "after_transaction_end")
def _forget_versions(session: Session, transaction) -> None:
    """The outermost transaction ended (committed or rolled back): nothing is pending any more. A savepoint
    rolled back keeps what is pending (raising a version too many is harmless, one too few is not)."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_commit")
def _forget_prefetched(session: Session) -> None:
    memo = request_memo.memo("prefetched")
    if memo:
        memo.clear()  # a write in this request: what was read with the user is read again


# ---- values read with the user, in the user's own statement (one round trip instead of three) -----------------

#: name -> function(the user id's column) giving a scalar subquery, selected beside the user when the request
#: authenticates
_USER_COLUMNS: dict[str, Callable] = {}


def user_columns(user_id) -> list:
    """Labelled scalar subqueries to select beside the user row (the data version, the unread count …);
    ``user_id`` is the column that holds the user's id in that statement."""
    return [fn(user_id).label(name) for name, fn in _USER_COLUMNS.items()]


def user_column_names() -> tuple[str, ...]:
    """The names of ``user_columns`` (a statement built with them is valid while these are the same)."""
    return tuple(_USER_COLUMNS)


def remember(values: dict) -> None:
    """Keep what ``user_columns`` read, for this request only."""
    memo = request_memo.memo("prefetched")
    if memo is not None:
        memo.update(values)


def prefetched(name: str):
    """A value read with the user in this request, or None."""
    memo = request_memo.memo("prefetched")
    return memo.get(name) if memo else None


def add_user_column(name: str, fn: Callable) -> None:
    _USER_COLUMNS[name] = fn


_VERSION = sa.select(sa.func.coalesce(sa.func.sum(DataVersion.version), 0))


add_user_column("data_version", lambda _user_id: _VERSION.scalar_subquery())


def data_version() -> int:
    """The database's data version now (the sum of every scope's version; each only grows). Read once per
    request, before the page's data, so a page is never stored under a version newer than what it shows."""
    memo = request_memo.memo("data_version")
    if memo is not None and "v" in memo:
        return memo["v"]
    early = prefetched("data_version")
    if early is not None:
        return int(early)
    value = int(db.session.connection().execute(_VERSION).scalar() or 0)
    if memo is not None:
        memo["v"] = value
    return value


# ---- the cache and the per-user parts ------------------------------------------------------------------------

@dataclass
class PageCache:
    enabled: bool
    build: str
    #: the viewer's scope for the key, or None when the page is not to be cached for this request
    scope: Callable[[], tuple | None] = lambda: None
    #: per-user parts: name -> (value for the page, value for the ETag)
    parts: dict[str, Callable[[], tuple[str, str]]] = field(default_factory=dict)


def init_cache(app) -> None:
    url = app.config.get("CACHE_URL")
    settings = ({"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url} if url
                else {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": int(app.config.get("CACHE_THRESHOLD", 2000))})
    settings.update(CACHE_DEFAULT_TIMEOUT=int(app.config.get("CACHE_TIMEOUT", 3600)),
                    CACHE_KEY_PREFIX=app.config.get("CACHE_KEY_PREFIX", "nominate:"))
    cache.init_app(app, config=settings)
    enabled = app.config.get("PAGE_CACHE")
    if enabled is None:
        enabled = not app.config.get("TESTING")
    state = PageCache(enabled=bool(enabled) and str(enabled) != "0", build=_build_id())
    app.extensions["nominate.page_cache"] = state

    original_csrf = app.jinja_env.globals.get("csrf_token")

    def csrf_token():
        if request.environ.get(_RENDERING):
            return Markup(_MARK.format("csrf"))
        return original_csrf()

    if original_csrf is not None:  # Flask-WTF offers it both as a global and from a context processor
        app.jinja_env.globals["csrf_token"] = csrf_token
        app.context_processor(lambda: {"csrf_token": csrf_token})
    app.jinja_env.globals["viewer_part"] = viewer_part


def register(app, *, scope: Callable[[], tuple | None], parts: dict[str, Callable[[], tuple[str, str]]]) -> None:
    """The web layer says what decides a page for a viewer and fills the per-user parts."""
    state: PageCache = app.extensions["nominate.page_cache"]
    state.scope = scope
    state.parts.update(parts)


def viewer_part(name: str) -> Markup:
    """A per-user part of a page: a marker while rendering for the cache, else its value."""
    if request.environ.get(_RENDERING):
        return Markup(_MARK.format(name))
    return Markup(current_app.extensions["nominate.page_cache"].parts[name]()[0])


def _build_id() -> str:
    """The code and templates this process serves: a shared (Redis) store never serves an older release's page."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".yaml"):
            digest.update(f"{path.relative_to(root)}:{path.stat().st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def _fill(state: PageCache, body: str) -> tuple[str, list[str]]:
    tags = []
    for name, part in state.parts.items():
        mark = _MARK.format(name)
        if mark in body:
            value, tag = part()
            body = body.replace(mark, value)
            tags.append(f"{name}={tag}")
    return body, tags


def _lookup(state: PageCache, scope: tuple) -> tuple[str, tuple | None]:
    """The page's key for a viewer of ``scope`` now, and what the cache holds under it (None: nothing)."""
    key = "page:" + hashlib.sha256(repr((
        state.build, request.path, sorted(request.args.items(multi=True)), scope, data_version(),
        clock.today().isoformat())).encode()).hexdigest()
    return key, cache.get(key)


def _cacheable(state: PageCache | None) -> bool:
    return state is not None and state.enabled and request.method == "GET" and "_flashes" not in session


def page_cache_serves() -> bool:
    """Whether the page cache may answer this request at all (on, a GET, no message waiting to be shown)."""
    return _cacheable(current_app.extensions.get("nominate.page_cache"))


def _finish(state: PageCache, key: str, response, body: str):
    """The page's per-user parts filled in, its ETag and its caching headers; a 304 when the browser has it."""
    body, tags = _fill(state, body)
    response.set_data(body)
    if response.status_code == 200:
        response.set_etag(hashlib.sha256("|".join([key, *tags]).encode()).hexdigest()[:32])
        response.headers["Cache-Control"] = "private, no-cache"
        response.vary.update(("Cookie", "Authorization"))
        response = response.make_conditional(request)
    return response


def cached_page(view):
    """Serve a GET page from the cache when the data version, the viewer's scope and the day are the same."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        state: PageCache | None = current_app.extensions.get("nominate.page_cache")
        if not _cacheable(state):
            return view(*args, **kwargs)
        scope = state.scope()
        if scope is None:
            return view(*args, **kwargs)
        key, entry = _lookup(state, scope)
        if entry is None:
            request.environ[_RENDERING] = True
            try:
                response = make_response(view(*args, **kwargs))
            finally:
                request.environ.pop(_RENDERING, None)
            if response.is_streamed or response.direct_passthrough:
                return response
            body = response.get_data(as_text=True)
            if response.status_code == 200:
                cache.set(key, (body, response.mimetype))
        else:
            body, mimetype = entry
            response = current_app.response_class(mimetype=mimetype)
        return _finish(state, key, response, body)

    wrapper.page_cached = True
    return wrapper


def stored_page(scope: tuple):
    """The response ``cached_page`` would give now for a viewer of ``scope`` when the page is in the cache (parts
    filled, ETag, 304), else None: for ``web.warm``, which answers such a request before the user is loaded."""
    state: PageCache | None = current_app.extensions.get("nominate.page_cache")
    if not _cacheable(state):
        return None
    key, entry = _lookup(state, scope)
    if entry is None:
        return None
    body, mimetype = entry
    return _finish(state, key, current_app.response_class(mimetype=mimetype), body)


# ---- rendered documents ---------------------------------------------------------------------------------------

def document_key(form: str, template: bytes | None, ctx: dict) -> str | None:
    """The key of a rendered document: a hash of the form, its template's bytes and the data filled in (the
    whole context, photo included), so a changed field or template makes another key. None when the
    document cache is off (``DOCUMENT_CACHE``: on unless testing) or the context cannot be hashed."""
    import pickle

    if not _documents_enabled():
        return None
    digest = hashlib.sha256(form.encode())
    digest.update(hashlib.sha256(template or b"").digest())
    try:
        digest.update(pickle.dumps(ctx, protocol=5))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return "doc:" + digest.hexdigest()


def _documents_enabled() -> bool:
    enabled = current_app.config.get("DOCUMENT_CACHE")
    if enabled is None:
        enabled = not current_app.config.get("TESTING")
    return bool(enabled) and str(enabled) != "0"


def cached_document(key: str | None) -> bytes | None:
    return cache.get(key) if key else None


def keep_document(key: str | None, data: bytes) -> None:
    if key:
        cache.set(key, data, timeout=int(current_app.config.get("DOCUMENT_CACHE_TIMEOUT", 86400)))
