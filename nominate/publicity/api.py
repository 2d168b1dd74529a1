from flask import g
from flask_smorest import Blueprint

from nominate.core.api import doc_errors, load, token_required
from nominate.core.db import unit_of_work
from nominate.extensions import db
from nominate.nominations.models import Nomination
from nominate.nominations.permissions import can_view
from nominate.publicity import operations
from nominate.publicity.models import Objection, PublicityPeriod
from nominate.publicity.schemas import (ObjectionCreateSchema, ObjectionResolveSchema, ObjectionSchema, PublicitySchema,
                                       PublicityStartSchema)

blp = Blueprint("api_publicity", __name__, description="公示与异议")


def _can_view_period(user, period):
    return any(can_view(user, e.nomination) for e in period.entries)


@blp.route("/publicity-periods")
@blp.response(200, PublicitySchema(many=True))
@doc_errors(blp, 401)
@token_required
def list_periods():
    """公示列表"""
    rows = db.session.scalars(db.select(PublicityPeriod).order_by(PublicityPeriod.id)).all()
    return [p for p in rows if _can_view_period(g.user, p)]


@blp.route("/publicity-periods", methods=["POST"])
@blp.arguments(PublicityStartSchema)
@blp.response(201, PublicitySchema)
@doc_errors(blp, 401, 403, 404, 409, 422)
@token_required
def start_period(data):
    """开始省级或全国公示（结束日期按工作日计算）"""
    noms = [load(Nomination, i, can=can_view, what="推荐对象") for i in data["nomination_ids"]]
    with unit_of_work():
        period = operations.start_publicity(noms, data["level"], g.user, data["start_date"])
    return period


@blp.route("/publicity-periods/<int:period_id>")
@blp.response(200, PublicitySchema)
@doc_errors(blp, 401, 403, 404)
@token_required
def get_period(period_id):
    """公示详情"""
    return load(PublicityPeriod, period_id, can=_can_view_period, what="公示")


@blp.route("/publicity-periods/<int:period_id>/finish", methods=["POST"])
@blp.response(200, PublicitySchema)
@doc_errors(blp, 401, 403, 404, 409)
@token_required
def finish_period(period_id):
    """结束公示（须期满且无未结异议）"""
    period = load(PublicityPeriod, period_id, can=_can_view_period, what="公示")
    with unit_of_work():
        operations.finish_publicity(period, g.user)
    return period


@blp.route("/objections", methods=["POST"])
@blp.arguments(ObjectionCreateSchema)
@blp.response(201, ObjectionSchema)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def create_objection(data):
    """登记异议"""
    nom = load(Nomination, data.pop("nomination_id"), can=can_view, what="推荐对象")
    with unit_of_work():
        obj = operations.record_objection(nom, g.user, **data)
    return obj


@blp.route("/objections/<int:objection_id>/resolve", methods=["POST"])
@blp.arguments(ObjectionResolveSchema)
@blp.response(200, ObjectionSchema)
@doc_errors(blp, 401, 403, 404, 409, 422)
@token_required
def resolve(data, objection_id):
    """登记异议调查结论（属实则取消推荐资格）"""
    obj = load(Objection, objection_id, can=lambda u, o: can_view(u, o.nomination), what="异议")
    with unit_of_work():
        operations.resolve_objection(obj, g.user, **data)
    return obj
