"""The responses' JSON is encoded by orjson (nominate.core.json_provider) and reads exactly as Flask's own encoder
wrote it: the same keys in the same order, the same escapes, dates as HTTP dates."""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import uuid

from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from nominate.core.json_provider import OrjsonProvider


@dataclasses.dataclass
class Point:
    y: int
    x: str


SAMPLE = {
    "姓名": "张三", "zeta": [1, 2, {"b": None, "a": True}], "alpha": "line\nbreak\ttab\x00nul\x1f\u2028\u200b‮",
    "quote": 'say "hi" \\ /path <b>&</b>', "date": dt.date(2021, 10, 20),
    "when": dt.datetime(2021, 10, 20, 16, 30, tzinfo=dt.timezone.utc), "money": decimal.Decimal("12.50"),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "point": Point(2, "东"), "html": Markup("<i>x</i>"),
    "tuple": (1, "二"), "empty": {}, "nested": {"z": {"y": {"x": []}}}, "big": 2**63 - 1, "neg": -(2**63),
}


def _standard(app):
    standard = DefaultJSONProvider(app)
    standard.ensure_ascii = False
    return standard


def test_the_app_encodes_with_orjson(app):
    assert isinstance(app.json, OrjsonProvider)


def test_compact_output_is_the_standard_encoders(app):
    with app.app_context():
        ours = app.json.dumps(SAMPLE, separators=(",", ":"))
        assert ours == _standard(app).dumps(SAMPLE, separators=(",", ":"))
        assert '"date":"Wed, 20 Oct 2021 00:00:00 GMT"' in ours and "张三" in ours
        assert list(json.loads(ours)) == sorted(SAMPLE)


def test_a_response_is_the_standard_encoders(app):
    with app.test_request_context():
        body = app.json.response(SAMPLE).get_data(as_text=True)
        assert body == _standard(app).response(SAMPLE).get_data(as_text=True)


def test_what_orjson_refuses_is_encoded_the_standard_way(app):
    wide = {"n": 2**70, "keys": {1: "one"}}  # wider than 64 bits; a key that is not a string
    with app.app_context():
        assert app.json.dumps(wide, separators=(",", ":")) == _standard(app).dumps(wide, separators=(",", ":"))


def test_other_options_are_the_standard_encoders(app):
    with app.app_context():
        assert app.json.dumps(SAMPLE) == _standard(app).dumps(SAMPLE)  # flask.json.dumps: ", " and ": "
        assert app.json.dumps(SAMPLE, indent=2) == _standard(app).dumps(SAMPLE, indent=2)
