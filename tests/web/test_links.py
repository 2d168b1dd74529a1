"""Row links built once (core.urls.id_link) are the links url_for builds for each row."""
from __future__ import annotations

from flask import url_for

from nominate.core.urls import id_link


def test_id_link_is_url_for_with_the_rows_id(app):
    with app.test_request_context("/"):
        show = id_link("nominations.show", "nomination_id")
        fire = id_link("nominations.fire", "nomination_id", event="select")
        for ident in (1, 9, 123, 987654321):
            assert show(ident) == url_for("nominations.show", nomination_id=ident)
            assert fire(ident) == url_for("nominations.fire", nomination_id=ident, event="select")
    with app.test_request_context("/", base_url="http://localhost/app"):  # under a script root
        assert id_link("nominations.show", "nomination_id")(5) == url_for("nominations.show", nomination_id=5)
