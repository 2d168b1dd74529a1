"""The two-factor gate: a signed-in session that still owes its second factor (its role must use two, or
the user enrolled TOTP) reaches only the sign-in, two-factor and enrolment pages, whatever the URL."""
from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from nominate.accounts import factors
from nominate.core.api import API_PREFIX

#: the pages a session that still owes its second factor may reach (besides static files)
OPEN_ENDPOINTS = frozenset({"auth.login", "auth.logout", "auth.two_factor", "auth.two_factor_enrol",
                            "auth.invitation", "auth.oidc_login", "auth.oidc_callback", "web.healthz", "static",
                            "web.static"})


#: the gate's name among the application's hooks (``web.warm`` places itself just before it)
GATE_NAME = "two_factor_gate"


def init_gate(app) -> None:
    @app.before_request
    def two_factor_gate():
        if request.path.startswith(API_PREFIX):
            return None  # the API authenticates by bearer token only (and making a token needs two factors)
        # asked for every page, so the session's record is checked (idle time-out) before any view runs
        if not current_user.is_authenticated or request.endpoint in OPEN_ENDPOINTS:
            return None
        if factors.owes_second_factor(current_user):
            target = "auth.two_factor" if current_user.totp_secret else "auth.two_factor_enrol"
            nxt = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for(target, next=nxt))
        return None

    @app.context_processor
    def signed_in_fully():
        def session_complete() -> bool:
            return bool(current_user.is_authenticated and not factors.owes_second_factor(current_user))

        return {"session_complete": session_complete}
