"""The JSON API under /api/v1: bearer tokens, OpenAPI 3 from the schemas, JSON errors."""
from __future__ import annotations

from functools import wraps

from flask import g, jsonify, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from nominate.core.errors import DomainError
from nominate.core.messages import HTTP_MESSAGES as CORE_HTTP_MESSAGES

API_PREFIX = "/api/v1"
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_input",
              429: "too_many_requests"}
#: every status in Chinese (core.messages); the API words 401 and 404 its own way
HTTP_MESSAGES = {**CORE_HTTP_MESSAGES, 401: "需要登录：请在 Authorization 头中提供 Bearer 令牌", 404: "记录或接口不存在",
                 405: "不支持的请求方法"}


def error_response(status: int, code: str, message: str, field=None, details=None):
    body = {"code": code, "message": message, "field": field}
    if details is not None:
        body["details"] = details
    return jsonify({"error": body}), status


def _first_field_error(messages, prefix=""):
    """webargs nests errors by location then field: find the first (field, message)."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "query", "form", "files", "headers", "view_args", "path"):
                found = _first_field_error(value, prefix)
            else:
                found = _first_field_error(value, f"{prefix}.{key}" if prefix else str(key))
            if found:
                return found
    elif isinstance(messages, list) and messages:
        if all(isinstance(m, str) for m in messages):
            return prefix or None, "；".join(messages)
        return _first_field_error(messages[0], prefix)
    elif isinstance(messages, str):
        return prefix or None, messages
    return None


class NominateApi(Api):
    from nominate.api.schemas import ApiErrorSchema as ERROR_SCHEMA  # documents our error shape everywhere

    def handle_http_exception(self, error: HTTPException):
        if not request.path.startswith(API_PREFIX):
            return error
        status = error.code or 500
        message = HTTP_MESSAGES.get(status, "请求错误")
        field, details = None, None
        data = getattr(error, "data", None) or {}
        if status == 422 and "messages" in data:
            found = _first_field_error(data["messages"])
            details = data["messages"]
            if found:
                field, text = found
                message = f"字段 {field}：{text}" if field else text
        return error_response(status, HTTP_CODES.get(status, "error"), message, field, details)


api = NominateApi()


def init_api(app, blueprints):
    """Mount the areas' API blueprints (``create_app`` lists them, like the web ones) under /api/v1."""
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "全国人社系统优质服务窗口和优质服务先进个人推荐评选系统接口。"
                                "认证：Authorization: Bearer <令牌>（flask --app nominate issue-token）。"
                                "错误统一为 {\"error\": {\"code\", \"message\", \"field\"}}。"},
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
    })
    api.init_app(app)
    api.spec.components.schemas.pop("PaginationMetadata", None)  # we paginate in the body, not in headers

    from nominate.extensions import csrf

    for blp in blueprints:
        csrf.exempt(blp)
        api.register_blueprint(blp, url_prefix=API_PREFIX)
    api_endpoints = {f"{blp.name}." for blp in blueprints}

    @app.before_request
    def authenticate_api_calls():
        """Every API endpoint (not the OpenAPI document) needs a valid token, before its input is read."""
        if request.endpoint and any(request.endpoint.startswith(name) for name in api_endpoints):
            authenticate()


def authenticate():
    """The bearer token's user becomes g.user; no valid token is a 401."""
    from nominate.accounts.auth import user_from_bearer

    from nominate.core import request_memo

    memo = request_memo.memo("bearer")
    if "user" in memo:  # already authenticated in this request: the token is looked up once
        g.user = memo["user"]
        return
    user = user_from_bearer()
    if user is None:
        raise DomainError("unauthorized", HTTP_MESSAGES[401])
    g.user = memo["user"] = user


def token_required(fn):
    """Authenticate the request with its bearer token; g.user is the caller."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        authenticate()  # already done before the input was read; again here so no view relies on order
        return fn(*args, **kwargs)

    return wrapper
