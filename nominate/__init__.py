"""nominate: 全国人社系统优质服务窗口和优质服务先进个人 推荐评选 (两审三公示)."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from nominate.config import Config

#: Web blueprints of the areas ("module:attribute"), registered in this order.
WEB_BLUEPRINTS = (
    "nominate.web.views:bp",
    "nominate.accounts.views:auth",
    "nominate.accounts.views:bp",
    "nominate.nominations.views:bp",
    "nominate.batches.views:bp",
    "nominate.campaigns.views:bp",
    "nominate.office.views:bp",
    "nominate.publicity.views:bp",
    "nominate.opinions.views:bp",
    "nominate.workdays.views:bp",
    "nominate.documents.views:bp",
    "nominate.honours.views:bp",
    "nominate.organisations.views:bp",
    "nominate.accountability.views:bp",
    "nominate.notifications.views:bp",
    "nominate.jobs.views:bp",
    "nominate.formtemplates.views:bp",
)

#: API blueprints of the areas, mounted under /api/v1 in this order (the OpenAPI document follows it).
API_BLUEPRINTS = (
    "nominate.campaigns.api:blp",
    "nominate.nominations.api:blp",
    "nominate.batches.api:blp",
    "nominate.publicity.api:blp",
    "nominate.opinions.api:blp",
    "nominate.workdays.api:blp",
    "nominate.documents.api:blp",
    "nominate.honours.api:blp",
    "nominate.accountability.api:blp",
    "nominate.notifications.api:blp",
    "nominate.accounts.api:blp",
)

#: The modules that register jobs' tasks by name (nominate.core.queue.register_task), imported before init_jobs.
TASK_MODULES = ("nominate.notifications.delivery", "nominate.notifications.reminders", "nominate.jobs.operations")

MODEL_MODULES = (
    "nominate.organisations.models", "nominate.accounts.models", "nominate.campaigns.models",
    "nominate.nominations.models", "nominate.batches.models", "nominate.publicity.models",
    "nominate.opinions.models", "nominate.audit.models", "nominate.workdays.models",
    "nominate.honours.models", "nominate.notifications.models", "nominate.jobs.models",
    "nominate.formtemplates.models", "nominate.caching.models",
)


def import_models() -> None:
    import importlib

    for name in MODEL_MODULES:
        importlib.import_module(name)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "nominate.db")
    if int(app.config["AUDIT_RETENTION_MIN_DAYS"]) < 180:
        raise RuntimeError("AUDIT_RETENTION_MIN_DAYS 不能少于 180 天（网络安全法第二十一条：日志至少保存六个月）")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = uri.replace("postgresql://", "postgresql+psycopg://", 1)
    from nominate.core.json_provider import OrjsonProvider

    app.json = OrjsonProvider(app)  # Flask's JSON (sorted keys, no ASCII escapes), encoded by orjson
    # SQL parameters (身份证号, phones …) never appear in an error message or a log line
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"hide_parameters": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}

    from nominate.core.logs import configure_logging

    configure_logging(app)

    from nominate import core  # noqa: F401
    from nominate.core import db as _sqlite_hooks  # noqa: F401  (registers the SQLite BEGIN IMMEDIATE hook)
    from nominate.extensions import csrf, db, limiter, login_manager, migrate

    import_models()
    import nominate.procedure  # noqa: F401  (the workflow's guards, effects and hooks register by name)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    import importlib

    def _load(spec: str):
        module, attr = spec.split(":")
        return getattr(importlib.import_module(module), attr)

    from nominate.api import init_api

    init_api(app, [_load(spec) for spec in API_BLUEPRINTS])

    from nominate.web.errors import init_errors

    init_errors(app)

    from nominate.accounts.auth import init_auth

    init_auth(app)

    for spec in WEB_BLUEPRINTS:
        app.register_blueprint(_load(spec))

    from nominate.web.security import init_security

    init_security(app)

    from nominate.caching import init_cache
    from nominate.web.page_parts import init_page_parts

    init_cache(app)
    init_page_parts(app)

    from nominate.web.input import init_input

    init_input(app)

    import importlib

    from nominate.jobs.queue import init_jobs
    from nominate.notifications.delivery import mail

    mail.init_app(app)  # Flask-Mailman: MAIL_* settings from the environment
    for name in TASK_MODULES:
        importlib.import_module(name)
    init_jobs(app)

    from nominate.cli import register_cli

    register_cli(app)

    from nominate.web.warm import init_warm

    init_warm(app)  # last: every view and the two-factor gate are registered; its hook goes just before the gate
    return app
