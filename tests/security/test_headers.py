"""Every response carries the security headers; the pages run no inline script."""
import re
from pathlib import Path

import nominate
from nominate.web.security import CSP

TEMPLATES = Path(nominate.__file__).parent


def test_security_headers_on_pages_api_errors_and_static(client, login, f):
    anonymous = [client.get("/login"), client.get("/nominations/"), client.get("/api/v1/nominations"),
                 client.get("/api/v1/openapi.json"), client.get("/static/web/js/app.js"), client.get("/no-such-page")]
    signed_in = login(f.city())
    pages = [signed_in.get("/"), signed_in.get("/nominations/"), signed_in.get("/admin/users")]
    for r in anonymous + pages:
        assert r.headers["Content-Security-Policy"] == CSP, r.request.path
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
    assert "script-src 'self';" in CSP and "unsafe-inline" not in CSP.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in CSP


def test_templates_have_no_inline_scripts_or_event_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text) \
                or "javascript:" in text:
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_print_button_is_wired_by_the_app_script(client):
    assert "[data-print]" in client.get("/static/web/js/app.js").get_data(as_text=True)
