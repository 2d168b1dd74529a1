"""schemathesis's stateful phase: sequences of API calls that follow the links between operations (an id
one call returns is the path of the next), as two roles in turn: a city bureau and the provincial office.
A fixed budget of scenarios keeps the CI run short; 0 server errors, every error in the JSON shape."""
import time

import pytest
import schemathesis
from flask import g
from hypothesis import HealthCheck, settings

#: the fixed budget: scenarios of up to STEPS calls, per role (figures in docs/security.md)
SCENARIOS = 100
STEPS = 10
CALLS: dict[str, int] = {}


@pytest.fixture()
def scenario_rollback(app, db, monkeypatch):
    """(begin, end): each scenario starts from the same committed data and its writes are rolled back at its end.
    hypothesis replays scenarios it has run (and checks the replay draws as the first run did): a scenario that
    found what an earlier one wrote (a submitted batch, a new nomination) drew otherwise, and the run failed with
    FlakyStrategyDefinition."""
    from flask_sqlalchemy.session import Session

    holder = {}

    def begin():
        holder["conn"] = conn = db.engine.connect()
        db.session.remove()
        monkeypatch.setattr(Session, "get_bind", lambda self, *a, **kw: conn)
        monkeypatch.setitem(db.session.session_factory.kw, "join_transaction_mode", "create_savepoint")
        holder["trans"] = conn.begin()

    def end():
        db.session.remove()
        holder.pop("trans").rollback()
        holder.pop("conn").close()

    yield begin, end
    if "trans" in holder:
        end()


@pytest.mark.parametrize("role", ["city", "office"])
def test_stateful_api_sequences_never_fail(app, f, walk, role, scenario_rollback):
    walk.to(f.window(), "city_recommended")  # something real to follow links from
    walk.to(f.individual(), "city_review")
    token = f.token(f.city() if role == "city" else f.office)
    f.db.session.commit()
    begin, end = scenario_rollback
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    base = schema.as_state_machine()
    links = schema.statistic.transitions.total  # links inferred from the schema (ids returned → paths)
    calls = {"n": 0, "errors": 0}

    class Machine(base):
        def setup(self):
            begin()

        def teardown(self):
            end()

        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def before_call(self, case):
            g.pop("user", None)  # the tests' app context outlives each request

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            calls["n"] += 1
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
            if response.status_code >= 400:
                calls["errors"] += 1
                body = response.json()
                assert set(body) == {"error"} and isinstance(body["error"]["code"], str), body
            case.validate_response(response, checks=[schemathesis.checks.status_code_conformance,
                                                     schemathesis.checks.content_type_conformance,
                                                     schemathesis.checks.response_schema_conformance])

    started = time.monotonic()
    Machine.run(settings=settings(max_examples=SCENARIOS, stateful_step_count=STEPS, deadline=None,
                                  derandomize=True, database=None, suppress_health_check=list(HealthCheck)))
    CALLS[role] = calls["n"]
    assert calls["n"] >= SCENARIOS, f"the state machine made only {calls['n']} calls (links: {links})"
    print(f"\nschemathesis stateful as {role}: {calls['n']} calls ({calls['errors']} 4xx) "
          f"in {time.monotonic() - started:.1f} s, links: {links}")
