"""What the page cache (nominate.caching) needs from the pages: what decides a page for a viewer, and the
per-user parts of the top bar (the viewer's name, the unread count, the CSRF token), filled in per request."""
from __future__ import annotations

import time

from flask import current_app, g, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from nominate.api import API_PREFIX
from nominate.caching import add_user_column, prefetched, register
from nominate.campaigns.queries import SESSION_KEY
from nominate.nominations.queries import own_nomination_ids
from nominate.notifications import queries as notices


#: where a request answered by ``web.warm`` keeps its viewer (``accounts.auth.Viewer``) for the per-user parts: on
#: the request, never on ``g`` (a test's application context outlives its requests)
VIEWER_KEY = "nominate.warm_viewer"


def _viewer():
    return request.environ.get(VIEWER_KEY) or current_user


def viewer_scope(viewer=None) -> tuple | None:
    """Everything about the viewer that decides what a cached page shows: role, organisation, the nominations
    the viewer is a nominee of (a clerk who is a nominee never receives a colleague's page), the chosen
    campaign. None (not cached) for an anonymous caller. ``viewer``: the signed-in user unless given (a
    ``accounts.auth.Viewer`` from ``web.warm``)."""
    user = viewer or (g.get("user") if request.path.startswith(API_PREFIX) else current_user)
    if user is None or not user.is_authenticated:
        return None
    own = tuple(sorted(own_nomination_ids(user))) if user.person_key else ()
    return (user.role.value, user.organisation_id, own, session.get(SESSION_KEY))


#: how long a signed CSRF token is handed out again to the same session (its own raw token) instead of signing a
#: new one for every page: a token so reused is at most this much older than a new one (with a WTF_CSRF_TIME_LIMIT
#: set it expires that much sooner; the app sets none: a token lives as long as its session)
CSRF_REUSE_SECONDS = 60.0
_MINTED = "nominate.csrf_minted"


def _csrf() -> tuple[str, str]:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    minted = current_app.extensions.setdefault(_MINTED, {})  # raw token -> (signed token, when it was signed)
    found = minted.get(raw) if isinstance(raw, str) and field not in g else None
    now = time.monotonic()
    if found is not None and now - found[1] < CSRF_REUSE_SECONDS:
        token = found[0]
        setattr(g, field, token)  # the request's token, as generate_csrf would keep it
    else:
        token = generate_csrf()
        raw = session.get(field)
        if isinstance(raw, str):
            if len(minted) >= 10_000:
                minted.clear()
            minted[raw] = (token, now)
    # the ETag changes with the session's token and every half of its lifetime, so a 304 never keeps a page
    # whose token has expired
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT") or 0
    bucket = int(time.time() // (limit / 2)) if limit else 0
    return token, f"{raw or ''}:{bucket}"


def _name() -> tuple[str, str]:
    name = str(escape(_viewer().display_name))
    return name, name


def _inbox() -> tuple[str, str]:
    unread = prefetched("unread")
    if unread is None:
        unread = notices.unread_count(_viewer())
    count = f'<b class="count" aria-label="未读 {unread} 条">{unread}</b>' if unread else ""
    html = (f'<a href="{url_for("notifications.index")}" class="inbox{" has-unread" if unread else ""}">'
            f'消息{count}</a>')
    return html, str(unread)


# the unread count is read in the statement that loads the user (no round trip of its own)
add_user_column("unread", notices.unread_subquery)


def init_page_parts(app) -> None:
    register(app, scope=viewer_scope, parts={"csrf": _csrf, "viewer_name": _name, "inbox": _inbox})
