"""SMS through a provider interface. The default backend writes each text to the log (number masked);
a real provider (it sends only the organisation's approved template) is a class named in SMS_BACKEND."""
from __future__ import annotations

import importlib
import logging

from flask import current_app

from nominate.core.masking import mask_phone

log = logging.getLogger("nominate.sms")


class SmsBackend:
    """A provider: ``send`` delivers ``text`` (rendered from the notice's `sms` template) or raises."""

    def send(self, mobile: str, text: str, *, template: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSms(SmsBackend):
    sent: list[tuple[str, str, str]] = []  # the last texts, for the admin page and the demo

    def send(self, mobile: str, text: str, *, template: str) -> None:
        log.info("SMS to %s [%s]: %s", mask_phone(mobile), template, text)
        print(f"短信 → {mask_phone(mobile)}［模板 {template}］{text}", flush=True)  # the console backend prints
        ConsoleSms.sent = (ConsoleSms.sent + [(mask_phone(mobile), template, text)])[-50:]


def backend() -> SmsBackend:
    name = current_app.config.get("SMS_BACKEND", "console")
    if name == "console":
        return ConsoleSms()
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)()
