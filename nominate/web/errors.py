from flask import flash, redirect, render_template, request


def render_domain_error(exc, status=None):
    """On a form post, show the refusal and go back; otherwise render an error page."""
    if request.method == "POST" and request.referrer:
        flash(exc.message, "error")
        return redirect(request.referrer)
    return render_template("error.html", error=exc), status or exc.status
