"""The JSON API under /api/v1, mounted: bearer-token authentication, OpenAPI 3 from the schemas, HTTP errors as JSON.
What the areas' API modules share (error shape, ``load``, ``doc_errors``, base schemas, ``token_required``) is
one floor down, in ``nominate.core.api``."""
from __future__ import annotations

from flask import g, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from nominate.accounts.auth import user_from_bearer
from nominate.core import request_memo
from nominate.core.api import API_PREFIX, AUTHENTICATOR, HTTP_CODES, HTTP_MESSAGES, ApiErrorSchema, error_response
from nominate.core.errors import DomainError
from nominate.extensions import csrf


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
    ERROR_SCHEMA = ApiErrorSchema  # documents our error shape everywhere

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

    app.extensions[AUTHENTICATOR] = authenticate
    for blp in blueprints:
        csrf.exempt(blp)
        api.register_blueprint(blp, url_prefix=API_PREFIX)
    api_blueprints = frozenset(blp.name for blp in blueprints)  # a blueprint name holds no dot (Flask)

    @app.before_request
    def authenticate_api_calls():
        """Every API endpoint (not the OpenAPI document) needs a valid token, before its input is read."""
        endpoint = request.endpoint
        if endpoint and endpoint.partition(".")[0] in api_blueprints:
            authenticate()


def authenticate():
    """The bearer token's user becomes g.user; no valid token is a 401."""
    memo = request_memo.memo("bearer")
    if "user" in memo:  # already authenticated in this request: the token is looked up once
        g.user = memo["user"]
        return
    user = user_from_bearer()
    if user is None:
        raise DomainError("unauthorized", HTTP_MESSAGES[401])
    g.user = memo["user"] = user

