"""How a refusal reaches the caller: the HTML error page (or a flash on a form post), or the API's JSON error
under /api/v1; every refused permission is audited once per caller, route and window."""
from flask import current_app, flash, g, redirect, render_template, request
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, default_exceptions

from nominate.accounts.auth import safe_next
from nominate.api import api
from nominate.audit import operations as audit
from nominate.core.api import API_PREFIX, error_response, HTTP_MESSAGES
from nominate.core.db import unit_of_work
from nominate.core.errors import DomainError, PermissionDenied
from nominate.core.messages import HTTP_MESSAGES as PAGE_MESSAGES
from nominate.extensions import db


def init_errors(app) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        db.session.rollback()
        if isinstance(exc, PermissionDenied):
            _audit_refusal(exc)
        if request.path.startswith(API_PREFIX):
            status = 401 if exc.code == "unauthorized" else exc.status
            return error_response(status, exc.code, exc.message, exc.field, exc.details)
        return render_domain_error(exc)

    # Every other status Werkzeug raises (405, 404, 400, 500 …): the page in Chinese, the API its JSON error.
    # 413 and 429 have their own words (web.security); CSRF failures theirs (a 400 of its own class).
    for status in default_exceptions:
        if status not in (413, 429):
            app.register_error_handler(status, http_error)

    @app.errorhandler(StaleDataError)
    def handle_stale(exc):
        db.session.rollback()
        if request.path.startswith(API_PREFIX):
            return error_response(409, "conflict", HTTP_MESSAGES[409])
        return render_domain_error(DomainError("conflict", HTTP_MESSAGES[409]), status=409)


def http_error(error: HTTPException):
    db.session.rollback()
    if request.path.startswith(API_PREFIX):
        return api.handle_http_exception(error)
    status = getattr(error, "code", None) or 500
    page = render_template("error.html", error=DomainError(f"http_{status}", PAGE_MESSAGES.get(status, "请求错误")))
    headers = {k: v for k, v in error.get_headers() if k.lower() == "allow"} if isinstance(error, HTTPException) else {}
    return page, status, headers


def _audit_refusal(exc: DomainError) -> None:
    """Every refused attempt is logged, in its own transaction (the refused work was rolled back): one audit
    row per caller, route and window of time, with a counter (audit.record_refusal)."""
    actor = g.get("user") or (current_user if current_user and current_user.is_authenticated else None)
    caller = f"user:{actor.id}" if actor is not None else f"addr:{request.remote_addr}"
    route = f"{request.method} {request.url_rule.rule if request.url_rule else request.path}"
    with unit_of_work():
        audit.record_refusal(actor, caller=caller, route=route, path=request.path,
                             window_minutes=current_app.config["REFUSAL_WINDOW_MINUTES"],
                             data={"method": request.method, "path": request.path[:200], "code": exc.code,
                                   "message": exc.message[:200]})


def render_domain_error(exc, status=None):
    """On a form post, show the refusal and go back; otherwise render an error page."""
    back = _same_site_referrer() if request.method == "POST" else None
    if back:
        flash(exc.message, "error")
        return redirect(back)
    return render_template("error.html", error=exc), status or exc.status


def _same_site_referrer() -> str | None:
    """The referring page's path when it is a page of this site (never another host)."""
    from urllib.parse import urlsplit

    if not request.referrer:
        return None
    ref = urlsplit(request.referrer)
    if ref.netloc not in ("", request.host):
        return None
    return safe_next(ref.path + ("?" + ref.query if ref.query else ""))
