from flask import flash, redirect, render_template, request


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

    from nominate.accounts.auth import safe_next

    if not request.referrer:
        return None
    ref = urlsplit(request.referrer)
    if ref.netloc not in ("", request.host):
        return None
    return safe_next(ref.path + ("?" + ref.query if ref.query else ""))
