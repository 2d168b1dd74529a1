"""Hostile input on every route (issue 11): each route of ``app.url_map`` (pages and API; a route without a
request below fails the test) receives each hostile class — NUL and other control characters, full-width and
other-script digits, zero-width and bidi marks, 1 MB strings, JSON nested 100,000 deep, 5,000-digit
integers — in its body, its query string and its path, as a caller who may use it (so the request reaches
the view). hypothesis draws the characters, where they go and which digits; each example sweeps every
(route, class) pair. Properties, for every call:

- no response is 500 or more;
- control characters, zero-width and bidi marks, deep JSON and huge integers are refused (4xx) everywhere;
- an answer of 400 or more changed no record (audit refusal rows aside);
- whatever was accepted was stored clean: no control, zero-width or bidi character in any text column, and
  every stored 身份证号 and phone number is ASCII.

Every call runs in a transaction that is rolled back, so each meets the same data (PostgreSQL in CI).
"""
from __future__ import annotations

import io
import json
import os
import time

from flask import g
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from nominate.core.cleaning import refused_character
from nominate.extensions import db as _db
from tests.security.test_matrix import MATRIX, PHOTO, build_request, rollback_each, scene  # noqa: F401

#: which caller sends a route's requests: the first of these the route lets through
CALLER_ORDER = ("city", "office", "admin", "discipline", "provincial_unit", "police", "ministry", "other_city",
                "personnel", "other_discipline", "nominee_clerk", "nominee_signer", "anonymous")
CLASSES = ("control", "digits", "invisible", "huge_string", "deep_json", "huge_int", "path")
#: classes the boundary refuses on every route, before any view runs (the others may be accepted, cleaned)
REFUSED_CLASSES = {"control", "invisible", "deep_json"}
CONTROL = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f", "\x85", "\x9b"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c",
             "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\u00ad"]
DIGIT_BASES = [0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1040]  # full-width, Arabic-Indic, Devanagari …
MEGABYTE = "长" * 350_000  # 1,050,000 bytes in UTF-8
HUGE = "9" * 5000
BIG_NUMBERS = [HUGE, "9" * 20, "-" + "9" * 20, str(2**31), str(2**63), "-" + str(2**63 + 1)]
DEPTH = 100_000
REFUSAL_ACTIONS = ("access_denied",)  # counted refusals are the only rows a refused request may add
REFUSAL_TABLES = {"refusal_windows"}  # … and the counters of repeated refusals
BUDGET_SECONDS = 150
STATS = {"calls": 0, "routes": set(), "by_status": {}}


def _caller(allowed) -> str:
    return next(role for role in CALLER_ORDER if role in allowed)


def _rows(db):
    """Every row of every table (refusal audit rows aside), as comparable tuples."""
    out = {}
    for table in _db.metadata.sorted_tables:
        if table.name in REFUSAL_TABLES:
            continue
        rows = db.session.execute(table.select()).all()
        if table.name == "audit_events":
            rows = [r for r in rows if r._mapping["action"] not in REFUSAL_ACTIONS]
        out[table.name] = sorted((tuple(map(repr, r)) for r in rows))
    return out


def _stored_dirt(db) -> list[str]:
    """Text columns holding a refused character, and identifiers that are not ASCII."""
    dirt = []
    for table in _db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            for col, value in row.items():
                if isinstance(value, str) and refused_character(value):
                    dirt.append(f"{table.name}.{col}: {value[:40]!r}")
                if col in ("id_number", "phone", "leader_phone") and isinstance(value, str) and not value.isascii():
                    dirt.append(f"{table.name}.{col} not ASCII: {value!r}")
    return dirt


def _mutate_text(draw, cls: str, value: str) -> str:
    if cls == "control":
        ch = draw(st.sampled_from(CONTROL))
    elif cls == "invisible":
        ch = draw(st.sampled_from(INVISIBLE))
    elif cls == "huge_string":
        return value + MEGABYTE
    elif cls == "digits":
        base = draw(st.sampled_from(DIGIT_BASES))
        digits = "".join(chr(base + int(c)) if c.isdigit() else c for c in value)
        return digits if digits != value else value + "".join(chr(base + d) for d in (1, 2, 3))
    else:
        return value
    at = draw(st.integers(0, len(value)))
    return value[:at] + ch + value[at:]


def _hostile_request(draw, cls: str, rule, spec: dict, ids: dict):
    """The route's usual request with the class's hostile values in the path, the query and the body."""
    spec = dict(spec)
    for name in rule.arguments:  # string path segments (form names, kinds, tokens …): the views read them
        if isinstance(spec.get(name), str) and spec[name] not in ids and cls in ("control", "invisible", "digits",
                                                                                 "path"):
            spec[name] = _mutate_text(draw, draw(st.sampled_from(["control", "invisible"])) if cls == "path" else cls,
                                      spec[name])
    url, kwargs = build_request(rule, None, spec, ids)
    if cls == "path":  # only the path is hostile: the view, not the boundary, meets it
        return url, kwargs
    query = {"q": "张三", "page": "1"}
    if cls == "huge_int":
        query = {k: draw(st.sampled_from(BIG_NUMBERS)) for k in ("q", "page", "campaign_id", "org", "year", "month")}
    elif cls == "huge_string":  # a request line is at most 4,094 bytes behind gunicorn: as long as that
        query = {k: v + "长" * 140 for k, v in query.items()}
    elif cls != "deep_json":
        query = {k: _mutate_text(draw, cls, v) for k, v in query.items()}
    from urllib.parse import urlencode

    url += ("&" if "?" in url else "?") + urlencode(query)
    if cls == "deep_json":
        return url, {"data": "[" * DEPTH + "]" * DEPTH, "content_type": "application/json"}
    if cls == "huge_int":
        if "data" in kwargs:  # a form: every field a number no column holds (and one Python will not parse)
            kwargs["data"] = {k: draw(st.sampled_from(BIG_NUMBERS)) for k in kwargs["data"]}
            return url, kwargs
        body = {k: "__HUGE__" for k in (kwargs.get("json") or {"campaign_id": 1})}
        number = draw(st.sampled_from(BIG_NUMBERS))
        return url, {"data": json.dumps(body).replace('"__HUGE__"', number), "content_type": "application/json"}
    for key in ("json", "data"):
        if key in kwargs:
            kwargs[key] = {k: _mutate_text(draw, cls, v) if isinstance(v, str) else v
                           for k, v in kwargs[key].items()}
    if rule.endpoint == "honours.import_sheet" and "POST" in rule.methods:  # an imported row, hostile too
        from nominate.honours import importer

        header = ",".join(h for _, h in importer.COLUMNS)
        row = ",".join(_mutate_text(draw, cls, v) for v in importer.EXAMPLE_ROWS[1])
        kwargs["file"] = (header + "\n" + row + "\n").encode("utf-8")
    return url, kwargs


def _routes(app):
    return sorted({(r.endpoint, m) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}})


def test_every_route_gets_hostile_requests(app):
    missing = [key for key in _routes(app) if key not in MATRIX]
    assert missing == [], f"routes without a hostile-input request (add them to the matrix): {missing}"


@settings(max_examples=2, deadline=None, derandomize=True, database=None, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hostile_input_on_every_route(app, client, scene, rollback_each, db, data):  # noqa: F811
    ids, failures, started, swept = scene["ids"], [], time.monotonic(), set()
    rules = {(r.endpoint, m): r for r in app.url_map.iter_rules() for m in r.methods}
    only = os.environ.get("HOSTILE_ONLY")  # a comma list of classes, for profiling one class
    for key, cls in [(key, cls) for key in _routes(app) for cls in CLASSES if not only or cls in only.split(",")]:
        role = _caller(MATRIX[key][0])
        with app.test_request_context():  # built one at a time: a sweep holds megabytes per request
            url, kwargs = _hostile_request(data.draw, cls, rules[key], MATRIX[key][1], ids)

        def call():
            g.pop("_login_user", None)
            g.pop("user", None)
            g.pop("user_session", None)
            headers = {}
            with client.session_transaction() as s:
                s.clear()
                if role != "anonymous":
                    s.update(scene["sessions"][role])
            if role != "anonymous" and url.startswith("/api/"):
                headers["Authorization"] = f"Bearer {scene['tokens'][role]}"
            body = dict(kwargs)
            if MATRIX[key][1].get("photo") and cls not in ("deep_json", "huge_int"):
                body["data"] = {**body.get("data", {}), "photo": (io.BytesIO(PHOTO.getvalue()), "photo.png")}
                body["content_type"] = "multipart/form-data"
            if "file" in body:
                body["data"] = {**body.get("data", {}), "file": (io.BytesIO(body.pop("file")), "honours.csv")}
                body["content_type"] = "multipart/form-data"
            before = _rows(db)
            resp = client.open(url, method=key[1], headers=headers, **body)
            after = _rows(db)
            dirt = _stored_dirt(db) if after != before else []
            return resp, before == after, dirt

        t0 = time.monotonic()
        resp, unchanged, dirt = rollback_each(call)
        if only and time.monotonic() - t0 > 1:
            print(f"slow: {key} {cls} {time.monotonic() - t0:.1f} s {resp.status_code}")
        swept.add(key)
        STATS["calls"] += 1
        STATS["routes"].add(key)
        STATS["by_status"][resp.status_code // 100] = STATS["by_status"].get(resp.status_code // 100, 0) + 1
        where = f"{key} as {role}, {cls}"
        if resp.status_code >= 500:
            failures.append(f"{where}: {resp.status_code}")
        elif resp.status_code >= 400 and not unchanged:
            failures.append(f"{where}: {resp.status_code} but records changed")
        elif cls in REFUSED_CLASSES and not (400 <= resp.status_code < 500 and unchanged):
            failures.append(f"{where}: {resp.status_code}, not refused")
        if dirt:
            failures.append(f"{where}: stored {dirt[:3]}")
    assert failures == [], "\n".join(failures)
    assert swept == set(_routes(app))
    print(f"\nsweep: {time.monotonic() - started:.1f} s")
    elapsed = time.monotonic() - started
    assert elapsed < BUDGET_SECONDS, f"one sweep took {elapsed:.0f} s (budget {BUDGET_SECONDS} s)"


def teardown_module():
    if STATS["calls"]:
        print(f"\nhostile input: {STATS['calls']} calls over {len(STATS['routes'])} routes × {len(CLASSES)} classes,"
              f" answers by class {dict(sorted(STATS['by_status'].items()))}")
