"""Issue 14, defect 9: every HTTP error page in Chinese (each status Werkzeug can raise, pages and API), and every
API field error in Chinese (marshmallow's default messages)."""
import re

import pytest
from werkzeug.exceptions import abort, default_exceptions

from nominate import create_app

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def aborting_app(tmp_path_factory):
    """An app of its own (routes can only be added before its first request) that raises any status on demand."""
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "PROPAGATE_EXCEPTIONS": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path_factory.mktemp('errors') / 'e.db'}"})
    app.add_url_rule("/_abort/<int:status>", "abort_page", lambda status: abort(status))
    app.add_url_rule("/api/v1/_abort/<int:status>", "abort_api", lambda status: abort(status))

    def boom():
        raise RuntimeError("boom")

    app.add_url_rule("/_boom", "boom", boom)
    from nominate.extensions import db

    with app.app_context():
        db.create_all()
    return app


@pytest.mark.parametrize("status", sorted(default_exceptions))
def test_every_werkzeug_status_is_a_chinese_page_and_a_chinese_api_error(aborting_app, status):
    client = aborting_app.test_client()
    r = client.get(f"/_abort/{status}")
    assert r.status_code == status
    html = r.get_data(as_text=True)
    english = default_exceptions[status].description
    assert english not in html, f"{status}: Werkzeug's English page"
    assert '<html lang="zh-CN">' in html
    heading = re.search(r'<h1 role="alert">(.*?)</h1>', html).group(1)
    assert CJK.search(heading), f"{status}: {heading}"
    r = client.get(f"/api/v1/_abort/{status}")
    assert r.status_code == status
    message = r.get_json()["error"]["message"]
    assert CJK.search(message) and english not in message, f"{status}: {message}"


def test_an_unexpected_exception_is_a_chinese_500_page(aborting_app):
    r = aborting_app.test_client().get("/_boom")
    assert r.status_code == 500 and "服务器内部错误" in r.get_data(as_text=True)


def test_a_wrong_method_on_a_real_page_is_a_chinese_405_with_allow(login, f):
    client = login(f.city())
    r = client.post("/nominations/")
    assert r.status_code == 405
    assert "不支持的请求方法" in r.get_data(as_text=True) and "Method Not Allowed" not in r.get_data(as_text=True)
    assert "GET" in r.headers["Allow"]
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "页面或记录不存在" in r.get_data(as_text=True)


def test_api_field_errors_are_chinese(client, f, db):
    nom = f.individual()
    h = {"Authorization": f"Bearer {f.token(f.city())}"}
    r = client.post(f"/api/v1/nominations/{nom.id}/events", json={"event": "start_unit_publicity", "start_date": "明天"},
                    headers=h)
    assert r.status_code == 422
    assert r.get_json()["error"]["message"] == "字段 start_date：不是有效的日期（应为 YYYY-MM-DD）。"
    r = client.post(f"/api/v1/nominations/{nom.id}/events", json={"comment": "x"}, headers=h)
    assert r.get_json()["error"]["message"] == "字段 event：缺少必填项。"
    r = client.patch(f"/api/v1/nominations/{nom.id}", json={"staff_count": "many", "no_such": 1}, headers=h)
    details = str(r.get_json()["error"]["details"])
    assert "未知字段" in details and not re.search(r"Not a valid|Unknown field", details)


def test_no_marshmallow_default_message_is_left_in_english():
    import inspect

    from marshmallow import Schema, fields, validate

    import nominate.core.api  # noqa: F401  (installs the messages)

    english = []
    for name, cls in inspect.getmembers(fields, inspect.isclass):
        for key, text in (cls.__dict__.get("default_error_messages") or {}).items():
            if not CJK.search(text):
                english.append(f"fields.{name}.{key}: {text}")
    for key, text in Schema._default_error_messages.items():
        if not CJK.search(text):
            english.append(f"Schema.{key}: {text}")
    for name, cls in inspect.getmembers(validate, inspect.isclass):
        for attr, text in cls.__dict__.items():
            if "message" in attr and isinstance(text, str) and not CJK.search(text):
                english.append(f"validate.{name}.{attr}: {text}")
    assert english == []
