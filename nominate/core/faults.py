"""A pause point for the crash tests: with NOMINATE_FAULT_PAUSE=<name> the process stops there (after
writing, before commit), announces it in NOMINATE_FAULT_MARKER and waits to be killed. Inert otherwise."""
from __future__ import annotations

import os
import time


def pause_point(name: str) -> None:
    if os.environ.get("NOMINATE_FAULT_PAUSE") != name:
        return
    marker = os.environ.get("NOMINATE_FAULT_MARKER")
    if marker:
        with open(marker, "w", encoding="utf-8") as fh:
            fh.write(name)
    time.sleep(float(os.environ.get("NOMINATE_FAULT_SLEEP", "60")))
