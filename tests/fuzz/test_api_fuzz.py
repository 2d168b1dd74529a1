"""Hostile input: schemathesis generates requests from the app's own OpenAPI document and sends them to the
WSGI app with a valid token. No 5xx, and every error in the documented JSON shape."""
import pytest
import schemathesis
from flask import g
from hypothesis import HealthCheck, settings

EXAMPLES_PER_OPERATION = 12
CALLS = {"count": 0}


@pytest.fixture()
def api_schema(app, f, walk):
    walk.to(f.window(), "city_recommended")  # something real behind the ids 1, 2 …
    walk.to(f.individual(), "city_review")
    api_schema.tokens = {"city": f.token(f.city()), "office": f.token(f.office)}
    f.db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


def _token(case):
    city_paths = ("/nominations", "/batches")
    return api_schema.tokens["city" if case.path.startswith(city_paths) and case.method != "GET" else "office"]


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_answers_in_its_error_shape(case):
    g.pop("user", None)
    response = case.call(headers={"Authorization": f"Bearer {_token(case)}"})
    CALLS["count"] += 1
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        error = body["error"]
        assert isinstance(error["code"], str) and isinstance(error["message"], str) and "field" in error, body
    case.validate_response(response, checks=[schemathesis.checks.status_code_conformance,
                                             schemathesis.checks.content_type_conformance,
                                             schemathesis.checks.response_schema_conformance])


def teardown_module():
    if CALLS["count"]:
        print(f"\nschemathesis: {CALLS['count']} generated API calls, none failed")
