"""What every area's JSON API shares (the framework's lower half): the error shape and its Chinese messages,
loading a row for the token's user, documenting error responses, the base schemas, and ``token_required``.
``nominate.api`` (above the areas) mounts the blueprints, authenticates bearer tokens and renders OpenAPI."""
from __future__ import annotations

from collections.abc import Mapping
from functools import wraps

from flask import current_app, g, jsonify
from marshmallow import Schema, fields, pre_load, validate

from nominate.core.cleaning import clean_text
from nominate.core.clock import local_time
from nominate.core.messages import HTTP_MESSAGES as CORE_HTTP_MESSAGES
from nominate.core.messages import install_marshmallow_messages
from nominate.core.db import MAX_ID
from nominate.core.loading import load_for

API_PREFIX = "/api/v1"
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_input",
              429: "too_many_requests"}
#: every status in Chinese (core.messages); the API words 401 and 404 its own way
HTTP_MESSAGES = {**CORE_HTTP_MESSAGES, 401: "需要登录：请在 Authorization 头中提供 Bearer 令牌", 404: "记录或接口不存在",
                 405: "不支持的请求方法"}

#: ``app.extensions`` key of the bearer-token authenticator ``nominate.api`` installs (it sits above the areas)
AUTHENTICATOR = "nominate.api.authenticate"


def error_response(status: int, code: str, message: str, field=None, details=None):
    body = {"code": code, "message": message, "field": field}
    if details is not None:
        body["details"] = details
    return jsonify({"error": body}), status


def token_required(fn):
    """Authenticate the request with its bearer token; g.user is the caller."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        # already done before the input was read; again here so no view relies on order
        current_app.extensions[AUTHENTICATOR]()
        return fn(*args, **kwargs)

    return wrapper


ERRORS = {400: "请求错误", 401: "未认证", 403: "无权限", 404: "不存在", 409: "状态冲突或规则拒绝", 422: "输入不符合要求"}


def load(model, ident, *, can=None, what="记录"):
    """Load for the API caller (g.user): 404 when missing, 403 when ``can`` refuses."""
    return load_for(g.user, model, ident, can=can, what=what)


def doc_errors(blp, *codes):
    """Document the JSON error shape for these status codes."""

    def deco(fn):
        for code in codes:
            fn = blp.alt_response(code, schema=ApiErrorSchema, description=ERRORS.get(code, "错误"))(fn)
        return fn
    return deco


# --- base schemas (every field carries its Chinese label as the OpenAPI title) ---------------------------------

install_marshmallow_messages()  # before any field below is built: each copies its class's (now Chinese) messages


def T(title, **kw):
    return {"metadata": {"title": title, **kw}}


#: Row ids are 32-bit in both databases: anything larger is refused as input, never sent to the database.
ID_RANGE = validate.Range(min=1, max=MAX_ID, error="编号须为 1 至 2147483647 之间的整数")


class LocalDateTime(fields.DateTime):
    """Always in Asia/Shanghai with its offset (core.clock.local_time), on SQLite and PostgreSQL alike."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(local_time(value), attr, obj, **kwargs)


#: NFKC-normalised on the way in (full-width digits become ASCII); every other string is free text, trimmed
IDENTIFIER_KEYS = {"id_number", "phone", "leader_phone", "staff_count", "start_date", "received_on", "signed_on",
                   "birth_date", "work_start", "system_start", "window_start", "clean_record_attested_on"}


class CleanInput(Schema):
    """A schema the API reads input with: each string value passes the one cleaning step first
    (nominate.core.cleaning; the request boundary has refused bad characters already)."""

    @pre_load
    def clean_strings(self, data, **kwargs):
        if not isinstance(data, Mapping) or not isinstance(data, dict):
            return data  # query MultiDicts keep their shape; the boundary checked them
        out = {}
        for key, value in data.items():
            field = self.fields.get(key)
            label = field.metadata.get("title") if field is not None else None
            out[key] = clean_text(value, key, label, identifier=key in IDENTIFIER_KEYS)
        return out


class ApiErrorBodySchema(Schema):

    code = fields.Str(**T("错误代码"))
    message = fields.Str(**T("错误说明"))
    field = fields.Str(allow_none=True, **T("出错字段"))
    details = fields.Raw(allow_none=True, **T("详细信息（如各字段的错误、当前可执行的操作）"))


class ApiErrorSchema(Schema):
    """Every API error: {"error": {"code", "message", "field"}}."""

    error = fields.Nested(ApiErrorBodySchema, **T("错误"))
