"""Session login (Flask-Login) with server-side session records, the two-factor gate, and bearer-token
authentication for the API."""
from __future__ import annotations

from flask import flash, g, redirect, request, session, url_for

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only
from flask import current_app
from flask_wtf.csrf import generate_csrf

from nominate.accounts import factors, oidc
from nominate.accounts.models import ApiToken, Role, User, UserSession, secret_hash
from nominate.core import clock
from nominate.core.db import ReadApart, before_the_transaction
from nominate.caching import remember, user_column_names, user_columns
from nominate.extensions import db, login_manager
from nominate.organisations.models import Organisation

#: the session key that carries the user's session version at login (see operations.bump_session_version)
SESSION_VERSION_KEY = "_sv"
#: the session key that carries the id of the session's server-side record (UserSession)
SESSION_ID_KEY = "_sid"


def init_auth(app):
    oidc.check_config(app.config)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"

    @login_manager.user_loader
    def load_user(user_id):
        ids = _cookie_ids(user_id)
        if ids is None:
            return None
        found = _signed_in(*ids)
        if found is None:
            return None  # no such user, or this cookie's session record is not the user's
        user, record = found
        refusal = session_refusal(session.get(SESSION_VERSION_KEY, 0), user.active, user.session_version,
                                  record.session_version, record.ended_at, record.last_seen_at)
        if refusal == "idle":
            record.ended_at, record.end_reason = clock.wall(), "idle"  # no one's act: not audited
            db.session.commit()
            flash(f"登录已超时（{app.config['SESSION_IDLE_MINUTES']:g} 分钟无操作），请重新登录", "info")
            return None
        if refusal is not None:
            return None
        if touch_session(record):
            db.session.commit()
        g.user_session = record
        return user


def _cookie_ids(user_id) -> tuple[int, str] | None:
    """The user id and the hash of the session id this request's cookie carries, when both are well formed."""
    sid = session.get(SESSION_ID_KEY)
    if not (isinstance(sid, str) and sid and str(user_id).isdigit() and len(str(user_id)) < 10):
        return None
    return int(user_id), secret_hash(sid)


def session_refusal(cookie_version, active: bool, user_version: int, record_version: int, ended_at,
                    last_seen_at) -> str | None:
    """Why a session does not sign anyone in: "invalid" (a deactivated account; a cookie or record opened before a
    logout, a password change, a deactivation or a move; an ended record) or "idle" (the idle time-out passed); None
    when it is valid. The one rule both ways of authenticating a page ask (``load_user``, ``warm_viewer``): a check
    added anywhere else would not hold for pages answered warm."""
    if not active or cookie_version != user_version:
        return "invalid"
    if ended_at is not None or record_version != user_version:
        return "invalid"
    if clock.wall() - clock.utc(last_seen_at) > dt.timedelta(minutes=float(current_app.config["SESSION_IDLE_MINUTES"])):
        return "idle"
    return None


#: what every request reads of the user, its organisation and its session record (the authentication statement
#: selects only these; any other column, such as the password hash or an organisation's contacts, is read from the
#: database on first use: the statement's rows are a third as wide)
_USER_READ = (User.id, User.username, User.display_name, User.role, User.organisation_id, User.active,
              User.person_key, User.session_version, User.totp_secret, User.totp_enrolled_at)
_ORGANISATION_READ = (Organisation.id, Organisation.code, Organisation.name, Organisation.short_name,
                      Organisation.kind, Organisation.parent_id, Organisation.sort_order)
_SESSION_READ = (UserSession.id, UserSession.user_id, UserSession.session_version, UserSession.last_seen_at,
                 UserSession.ended_at, UserSession.totp_pending)

#: the statements of a request's authentication, built once per set of user columns (caching.user_columns)
_STATEMENTS: dict[tuple, sa.Select] = {}
#: the warm read (``warm_viewer``), built once per set of user columns
_WARM_READS: dict[tuple, ReadApart] = {}


def _statement(kind: str) -> sa.Select:
    """The one statement that authenticates a request, with the values every page reads per request (the data
    version, the unread count: caching.user_columns) selected in it. ``session``: the user and this cookie's
    session record (joined by its sid hash); ``token``: an API token with its user."""
    key = (kind, user_column_names())
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        if kind == "session":
            stmt = (sa.select(User, UserSession, *user_columns(User.id))
                    .join(UserSession, sa.and_(UserSession.user_id == User.id,
                                               UserSession.sid_hash == sa.bindparam("sid_hash")))
                    .where(User.id == sa.bindparam("user_id"))
                    .options(load_only(*_USER_READ), joinedload(User.organisation).load_only(*_ORGANISATION_READ),
                             load_only(*_SESSION_READ)))
        else:
            stmt = (sa.select(ApiToken, *user_columns(ApiToken.user_id))
                    .where(ApiToken.token_hash == sa.bindparam("token_hash"))
                    .options(load_only(ApiToken.id, ApiToken.user_id, ApiToken.revoked_at),
                             joinedload(ApiToken.user).load_only(*_USER_READ),
                             joinedload(ApiToken.user).joinedload(User.organisation).load_only(*_ORGANISATION_READ)))
        _STATEMENTS[key] = stmt
    return stmt


def _signed_in(user_id: int, sid_hash: str) -> tuple[User, UserSession] | None:
    """The user and the server-side record of this cookie's session (with the per-request values: remembered),
    in one statement; None when there is no such user or the record is not that user's."""
    found = _read("session", 2, user_id=user_id, sid_hash=sid_hash)
    return None if found is None else (found[0], found[1])


def _read(kind: str, entities: int, **params) -> tuple | None:
    """The first row of ``_statement(kind)``: its ``entities`` first items, the user columns remembered."""
    with before_the_transaction():
        row = db.session.execute(_statement(kind), params).first()
    if row is None:
        return None
    remember(dict(zip(row._fields[entities:], row[entities:])))
    return row[:entities]


@dataclass(frozen=True)
class Viewer:
    """What a page served whole from the page cache needs of the signed-in person: the facts the page's cache key
    and its per-user parts read (``web.page_parts``) and the two-factor rule reads (``accounts.factors``), without
    the ORM user (whose ``totp_enrolled`` it answers as the model does; the secret itself is never read)."""

    id: int
    role: Role
    organisation_id: int | None
    person_key: str | None
    display_name: str
    totp_enrolled: bool
    is_authenticated: bool = True


#: the facts of ``warm_viewer``: the user's and the session record's columns ``session_refusal`` reads, and what the
#: page's key and parts read; beside them the per-request values (caching.user_columns)
_FACTS = (User.id, sa.type_coerce(User.role, sa.String).label("role"), User.organisation_id, User.person_key,
          User.display_name, User.totp_secret.is_not(None).label("totp_enrolled"),
          User.active, User.session_version, UserSession.session_version.label("record_version"), UserSession.ended_at,
          UserSession.last_seen_at)


def warm_viewer() -> Viewer | None:
    """The person this request's session signs in, read in one Core statement (no ORM objects) and held to the
    same rule as ``load_user`` (``session_refusal``), for a page that may be answered whole from the page cache.
    None whenever ``load_user`` has anything to do or decide: no valid cookie, a refused or idle session, a session
    whose activity is due to be noted, a cookie whose Flask-Login identifier (its ``_id``, kept by ``login_user``)
    does not match this client's, whatever ``SESSION_PROTECTION`` says. Then the request goes the usual way, which
    reads, writes and refuses as always."""
    ids = _cookie_ids(session.get("_user_id"))
    if ids is None or session.get("_id") != login_manager._session_identifier_generator():
        return None
    key = user_column_names()
    read = _WARM_READS.get(key)
    if read is None:
        read = _WARM_READS[key] = ReadApart(
            sa.select(*_FACTS, *user_columns(User.id))
            .join(UserSession, sa.and_(UserSession.user_id == User.id,
                                       UserSession.sid_hash == sa.bindparam("sid_hash")))
            .where(User.id == sa.bindparam("user_id")))
    row = read.first({"user_id": ids[0], "sid_hash": ids[1]})
    if row is None:
        return None
    if session_refusal(session.get(SESSION_VERSION_KEY, 0), row["active"], row["session_version"],
                       row["record_version"], row["ended_at"], row["last_seen_at"]):
        return None
    if touch_due(row["last_seen_at"]):
        return None
    remember({name: row[name] for name in user_column_names()})
    return Viewer(row["id"], Role(row["role"]), row["organisation_id"], row["person_key"], row["display_name"],
                  bool(row["totp_enrolled"]))


def current_session_record() -> UserSession | None:
    """The server-side record of the signed-in session of this request."""
    return g.get("user_session")


def open_session(user: User, *, address: str | None, user_agent: str | None) -> str:
    """Record a new login of ``user``; returns the session id the cookie carries (only its hash is stored)."""
    sid = secrets.token_urlsafe(32)
    now = clock.wall()
    db.session.add(UserSession(user_id=user.id, sid_hash=secret_hash(sid), session_version=user.session_version,
                               created_at=now, last_seen_at=now, address=(address or "")[:64],
                               user_agent=(user_agent or "")[:200]))
    db.session.flush()
    return sid


def touch_due(last_seen_at) -> bool:
    """Whether this request is to note activity on its session (at most once per SESSION_TOUCH_MINUTES)."""
    limit = dt.timedelta(minutes=float(current_app.config["SESSION_TOUCH_MINUTES"]))
    return clock.wall() - clock.utc(last_seen_at) >= limit


def touch_session(record: UserSession) -> bool:
    """Note activity on the session, at most once per SESSION_TOUCH_MINUTES. It writes only this row's
    ``last_seen_at`` (no audit row, nothing any page shows is changed). Returns whether it wrote."""
    if not touch_due(record.last_seen_at):
        return False
    db.session.execute(sa.update(UserSession).where(UserSession.id == record.id).values(last_seen_at=clock.wall()),
                       execution_options={"synchronize_session": False})
    return True


#: the session key that lists how the user authenticated (accounts.factors): "password", "totp", "recovery", "oidc",
#: "idp-mfa"
AUTH_FACTORS_KEY = factors.SESSION_KEY


def start_session(user: User, factor: str | tuple[str, ...] = "password") -> None:
    """Log ``user`` in on this session after ``factor`` (see accounts.factors: local login the password; single
    sign-on ``("oidc",)``, with ``"idp-mfa"`` when the platform asserted a second factor), stamped with the user's
    current session version and a new server-side session record. The caller commits."""
    from flask_login import login_user

    session.clear()  # nothing of an earlier session survives the login (session fixation)
    login_user(user)
    # the session's CSRF secret, made now so that the login's own cookie carries it (no later page has to set the
    # cookie again); a token this request made already was signed from the cleared session's secret
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    generate_csrf()
    session[SESSION_VERSION_KEY] = user.session_version
    session[SESSION_ID_KEY] = open_session(user, address=request.remote_addr,
                                                      user_agent=request.headers.get("User-Agent"))
    for name in ((factor,) if isinstance(factor, str) else factor):
        factors.add_factor(name)


def safe_next(target: str | None) -> str | None:
    r"""``target`` when it is a path on this site, else None. Browsers drop tabs and newlines and read
    a backslash as a slash, so ``/\t/evil.example`` or ``/\\evil`` would leave the site: such
    characters refuse the target, and so does anything with a scheme or a host."""
    import unicodedata
    from urllib.parse import urlsplit

    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    if "\\" in target or any(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def user_from_bearer() -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token = header[7:].strip()
    if not token:
        return None
    found = _read("token", 1, token_hash=ApiToken.hash(token))
    row = found[0] if found else None
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    g.api_token = row
    return row.user
