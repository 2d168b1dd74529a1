import pytest


@pytest.fixture()
def login(client):
    """Log ``user`` into the test client (Flask-Login session) and return the client."""
    def _login(user):
        # the tests' app context outlives each request, and Flask-Login caches the user in g
        from flask import g

        g.pop("_login_user", None)
        with client.session_transaction() as s:
            s["_user_id"] = str(user.id)
            s["_fresh"] = True
        return client
    return _login
