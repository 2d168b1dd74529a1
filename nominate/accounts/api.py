"""The caller's own API tokens: listed and revoked (tokens are created on the page of a session that passed two
factors or by the admin's command, never with a bearer token)."""
from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from nominate.accounts import operations, queries
from nominate.accounts.models import ApiToken
from nominate.accounts.permissions import can_manage_own
from nominate.core.api import LocalDateTime, T, doc_errors, load, token_required
from nominate.core.db import unit_of_work

blp = Blueprint("api_accounts", __name__, description="API 令牌（本人的令牌：列出、吊销）")


class TokenSchema(Schema):
    id = fields.Int(**T("编号"))
    name = fields.Str(**T("名称"))
    prefix = fields.Str(**T("前缀（令牌的前 10 个字符）"))
    created_at = LocalDateTime(**T("创建时间"))
    revoked_at = LocalDateTime(allow_none=True, **T("吊销时间"))
    current = fields.Method("_current", **T("是否为本次请求所用的令牌"))

    def _current(self, token):
        return getattr(g.get("api_token"), "id", None) == token.id


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema), **T("令牌"))


@blp.route("/tokens")
@blp.response(200, TokenListSchema)
@doc_errors(blp, 401)
@token_required
def list_tokens():
    """本人的 API 令牌（有效的在前）"""
    return {"items": queries.tokens_of(g.user)}


@blp.route("/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(200, TokenSchema)
@doc_errors(blp, 401, 403, 404)
@token_required
def revoke_token(token_id):
    """吊销本人的一个令牌（吊销本次所用的令牌后，后续请求返回 401）"""
    token = load(ApiToken, token_id, can=can_manage_own, what="令牌")
    with unit_of_work():
        operations.revoke_token(g.user, token)
    return token
