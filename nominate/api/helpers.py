"""Loading rows for the API: 404 when missing, 403 when not the caller's to see."""
from flask import g

from nominate.core.db import MAX_ID
from nominate.core.errors import NotFound, PermissionDenied
from nominate.extensions import db

ERRORS = {400: "请求错误", 401: "未认证", 403: "无权限", 404: "不存在", 409: "状态冲突或规则拒绝", 422: "输入不符合要求"}


def load(model, ident, *, can=None, what="记录"):
    """Load for the API caller (g.user): 404 when missing, 403 when ``can`` refuses."""
    return load_for(g.user, model, ident, can=can, what=what)


def load_for(user, model, ident, *, can=None, what="记录"):
    """Load ``model`` row ``ident`` for ``user``: 404 when missing, 403 when ``can(user, row)`` refuses."""
    in_range = isinstance(ident, int) and 0 < ident <= MAX_ID  # a guessed huge id is just missing
    row = db.session.get(model, ident) if in_range else None
    if row is None:
        raise NotFound(f"{what}（编号 {ident}）不存在")
    if can is not None and not can(user, row):
        raise PermissionDenied(f"您无权访问该{what}")
    return row


def doc_errors(blp, *codes):
    """Document the JSON error shape for these status codes."""
    from nominate.api.schemas import ApiErrorSchema

    def deco(fn):
        for code in codes:
            fn = blp.alt_response(code, schema=ApiErrorSchema, description=ERRORS.get(code, "错误"))(fn)
        return fn
    return deco
