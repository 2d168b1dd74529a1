"""API helpers: load a row for the token's user (core.loading.load_for), document the error responses."""
from flask import g

from nominate.core.loading import load_for  # noqa: F401  (re-exported; the helper lives in core)

ERRORS = {400: "请求错误", 401: "未认证", 403: "无权限", 404: "不存在", 409: "状态冲突或规则拒绝", 422: "输入不符合要求"}


def load(model, ident, *, can=None, what="记录"):
    """Load for the API caller (g.user): 404 when missing, 403 when ``can`` refuses."""
    return load_for(g.user, model, ident, can=can, what=what)


def doc_errors(blp, *codes):
    """Document the JSON error shape for these status codes."""
    from nominate.api.schemas import ApiErrorSchema

    def deco(fn):
        for code in codes:
            fn = blp.alt_response(code, schema=ApiErrorSchema, description=ERRORS.get(code, "错误"))(fn)
        return fn
    return deco
