"""Security headers on every response, and the pages for oversize uploads and throttled logins."""
from __future__ import annotations

from flask import current_app, render_template, request
from werkzeug.exceptions import HTTPException

from nominate.api import api
from nominate.audit import operations as audit
from nominate.core.api import API_PREFIX
from nominate.core.db import unit_of_work
from nominate.core.errors import DomainError
from nominate.web.gate import init_gate

#: Scripts only from the app's own files; inline style attributes are allowed (styles cannot run code),
#: inline scripts and event handlers are not.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HTTP_REFUSALS = {
    413: DomainError("too_large", "上传内容过大：照片文件不能超过 5 MB，整个请求不能超过 16 MB"),
    429: DomainError("too_many_requests", "尝试过于频繁，请稍后再试（登录失败次数过多时会暂时锁定）"),
}


def init_security(app) -> None:
    init_gate(app)  # the two-factor gate (web/gate.py)
    if app.config.get("PROXY_FIX"):  # behind nginx/an HTTPS proxy: trust one hop for address and scheme
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        present = {name.lower() for name in headers.keys()}  # one pass (setdefault scans the list per name)
        for name, value in HEADERS.items():
            if name.lower() not in present:
                headers.add(name, value)
        if app.config.get("SESSION_COOKIE_SECURE") and "strict-transport-security" not in present:
            headers.add("Strict-Transport-Security", "max-age=31536000")
        return response

    for status in HTTP_REFUSALS:
        app.register_error_handler(status, http_refusal)

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        refusal = DomainError("csrf_failed", "表单已过期或来源不明（CSRF 校验未通过），请刷新页面后重新提交")
        return render_template("error.html", error=refusal), 400


def http_refusal(error: HTTPException):
    """413 and 429: the API answers in its JSON error shape, the pages with a Chinese message."""
    if error.code == 429:
        _record_throttled()
    if request.path.startswith(API_PREFIX):
        return api.handle_http_exception(error)
    return render_template("error.html", error=HTTP_REFUSALS[error.code]), error.code


def _record_throttled() -> None:
    """A throttled request (failed logins): one ``login_throttled`` row per address, route and window."""
    route = f"{request.method} {request.url_rule.rule if request.url_rule else request.path}"
    with unit_of_work():
        audit.record_refusal(None, action="login_throttled", caller=f"addr:{request.remote_addr}",
                             route="throttled " + route,
                             path=request.path, window_minutes=current_app.config["REFUSAL_WINDOW_MINUTES"],
                             data={"method": request.method, "path": request.path[:200]})
