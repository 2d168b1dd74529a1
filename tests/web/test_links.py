"""Row links built once (core.urls.id_link) are the links url_for builds for each row."""
from __future__ import annotations

from flask import url_for

from nominate.core.urls import id_link, kept_url


def test_id_link_is_url_for_with_the_rows_id(app):
    with app.test_request_context("/"):
        show = id_link("nominations.show", "nomination_id")
        fire = id_link("nominations.fire", "nomination_id", event="select")
        for ident in (1, 9, 123, 987654321):
            assert show(ident) == url_for("nominations.show", nomination_id=ident)
            assert fire(ident) == url_for("nominations.fire", nomination_id=ident, event="select")
    with app.test_request_context("/", base_url="http://localhost/app"):  # under a script root
        assert id_link("nominations.show", "nomination_id")(5) == url_for("nominations.show", nomination_id=5)


def test_a_kept_link_is_url_for_and_follows_the_apps_root(app):
    """``core.urls.kept_url`` (a document link built once per process) gives what ``url_for`` gives, under any root
    the app is mounted at."""
    for base in ("http://localhost/", "http://localhost/pingxuan/"):
        with app.test_request_context("/", base_url=base):
            for endpoint, values in (("documents.batch_form", {"form": "contact_form", "batch_id": 7}),
                                     ("documents.batch_form", {"form": "contact_form", "batch_id": 7, "format": "pdf"}),
                                     ("documents.bundle", {"org_id": 3, "stage": "formal"})):
                assert kept_url(endpoint, **values) == url_for(endpoint, **values)
                assert kept_url(endpoint, **values).startswith(base.removeprefix("http://localhost")[:-1] + "/")
