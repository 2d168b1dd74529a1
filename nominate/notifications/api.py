"""消息 in the API: a caller's own notices, unread count, marking read."""
from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from nominate.core.api import T, LocalDateTime, doc_errors, load, token_required
from nominate.core.db import unit_of_work
from nominate.notifications import operations, queries
from nominate.notifications.models import Notification
from nominate.notifications.permissions import can_read

blp = Blueprint("api_notifications", __name__, description="消息（本人的通知，标记已读）")


class NotificationSchema(Schema):
    id = fields.Int(**T("编号"))
    kind = fields.Str(**T("类型"))
    subject = fields.Str(**T("标题"))
    body = fields.Str(**T("内容"))
    link = fields.Str(allow_none=True, **T("办理页面"))
    campaign_id = fields.Int(allow_none=True, **T("评选活动编号"))
    nomination_id = fields.Int(allow_none=True, **T("推荐对象编号"))
    batch_id = fields.Int(allow_none=True, **T("推荐批次编号"))
    period_id = fields.Int(allow_none=True, **T("公示编号"))
    created_at = LocalDateTime(**T("时间"))
    read_at = LocalDateTime(allow_none=True, **T("读取时间"))
    read = fields.Bool(attribute="is_read", **T("已读"))


class NotificationListArgs(Schema):
    unread = fields.Bool(load_default=False, **T("只看未读"))
    limit = fields.Int(load_default=100, validate=validate.Range(min=1, max=500), **T("条数"))


class NotificationListSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema), **T("消息"))
    unread = fields.Int(**T("未读条数"))


class ReadAllSchema(Schema):
    marked = fields.Int(**T("标记为已读的条数"))


@blp.route("/notifications")
@blp.arguments(NotificationListArgs, location="query")
@blp.response(200, NotificationListSchema)
@doc_errors(blp, 401, 422)
@token_required
def list_notifications(args):
    """本人的消息（新的在前）及未读条数"""
    return {"items": queries.for_user(g.user, unread_only=args["unread"], limit=args["limit"]),
            "unread": queries.unread_count(g.user)}


@blp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@blp.response(200, NotificationSchema)
@doc_errors(blp, 401, 403, 404)
@token_required
def mark_read(notification_id):
    """标记一条消息为已读"""
    note = load(Notification, notification_id, can=can_read, what="消息")
    with unit_of_work():
        operations.mark_read(g.user, [note])
    return note


@blp.route("/notifications/read-all", methods=["POST"])
@blp.response(200, ReadAllSchema)
@doc_errors(blp, 401)
@token_required
def mark_all_read():
    """全部标记为已读"""
    with unit_of_work():
        n = operations.mark_all_read(g.user)
    return {"marked": n}
