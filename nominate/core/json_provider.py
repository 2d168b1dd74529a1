"""The JSON of every response, encoded by orjson (a maintained library, written in Rust). The API's lists are 75–160 KB,
and the standard library's encoder spent about a tenth of the list's request on them.

The output is the same as Flask's own provider gives (``sort_keys``, ``ensure_ascii=False``, compact separators):
the same key order and the same escapes. The one difference is in floats: a very small or very large one is written
in its shortest form (``0.00001`` rather than ``1e-05``), which is the same number. Dates, times, decimals,
dataclasses and anything else go to Flask's ``default``, as before (a date as an HTTP date). A call with other
options (``indent`` in debug mode, or ``flask.json.dumps`` with its default separators) is encoded by the standard
library, and so is a value orjson refuses (an integer wider than 64 bits)."""
from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

_COMPACT = (",", ":")
_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class OrjsonProvider(DefaultJSONProvider):
    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs == {"separators": _COMPACT} and self.sort_keys and not self.ensure_ascii:
            try:
                return orjson.dumps(obj, default=self.default, option=_OPTIONS).decode()
            except orjson.JSONEncodeError:
                pass
        return super().dumps(obj, **kwargs)
