"""Logging: one line per record, with the request id, and masked.

Every handler (ours, Flask's, gunicorn's, werkzeug's) gets the masking filter, so a 身份证号 or a phone
number in a message, its arguments or a traceback never reaches a log file in full. SQL parameters are not
logged at all: the engine runs with ``hide_parameters`` (create_app), the filter is the second line.
"""
from __future__ import annotations

import logging
import re
import secrets
import sys

from nominate.core.masking import mask_text

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def current_request_id() -> str:
    try:
        from flask import g, has_request_context

        if has_request_context():
            return g.get("request_id") or "-"
    except RuntimeError:  # pragma: no cover - outside any app
        pass
    return "-"


class MaskingFilter(logging.Filter):
    """Masks 身份证号 and phones in the message, its arguments and the exception text; adds request_id."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: log what there is
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = mask_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


class OneLineFormatter(logging.Formatter):
    """A record is one line: line breaks inside the message or the traceback are written as ``\\n``."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        text = super().format(record)
        return mask_text(text.replace("\r", "\\r").replace("\n", "\\n"))


def attach_filters() -> None:
    """Put the masking filter on every handler that exists now (root, gunicorn, werkzeug, …)."""
    loggers = [logging.getLogger()] + [lg for lg in logging.root.manager.loggerDict.values()
                                       if isinstance(lg, logging.Logger)]
    for lg in loggers:
        for handler in lg.handlers:
            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(MaskingFilter())


def configure_logging(app) -> None:
    """Root handler on stderr (one line per record), the masking filter everywhere, a request id per request."""
    root = logging.getLogger()
    if not any(getattr(h, "_nominate", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler._nominate = True
        handler.setFormatter(OneLineFormatter(FORMAT))
        root.addHandler(handler)
    app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))  # libraries stay at the root's WARNING
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)  # records go to the root handler, masked, one line each
    attach_filters()

    from flask import g, request

    @app.before_request
    def assign_request_id():
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if given and _REQUEST_ID_OK.match(given) else secrets.token_hex(8)

    @app.after_request
    def send_request_id(response):
        if g.get("request_id"):
            response.headers.setdefault(REQUEST_ID_HEADER, g.request_id)
        return response
