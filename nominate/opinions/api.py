from flask import g
from flask_smorest import Blueprint

from nominate.core.api import doc_errors, load, token_required
from nominate.core.db import unit_of_work
from nominate.nominations.models import Nomination
from nominate.nominations.permissions import can_view
from nominate.opinions import operations
from nominate.opinions.models import Opinion
from nominate.opinions.schemas import OpinionSchema, OpinionSignSchema, PoliceRequestSchema

blp = Blueprint("api_opinions", __name__, description="征求意见（纪检监察、组织人事、省级公安）")


@blp.route("/nominations/<int:nomination_id>/opinions")
@blp.response(200, OpinionSchema(many=True))
@doc_errors(blp, 401, 403, 404)
@token_required
def list_opinions(nomination_id):
    """推荐对象的征求意见表"""
    nom = load(Nomination, nomination_id, can=can_view, what="推荐对象")
    return nom.opinions


@blp.route("/opinions/<int:opinion_id>/sign", methods=["POST"])
@blp.arguments(OpinionSignSchema)
@blp.response(200, OpinionSchema)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def sign(data, opinion_id):
    """签署本部门意见栏"""
    op = load(Opinion, opinion_id, can=lambda u, o: can_view(u, o.nomination), what="意见栏")
    with unit_of_work():
        operations.sign_opinion(op, g.user, **data)
    return op


@blp.route("/opinions/police-requests", methods=["POST"])
@blp.arguments(PoliceRequestSchema)
@blp.response(201, OpinionSchema(many=True))
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def request_police(data):
    """省推荐评选办征求省级公安部门意见"""
    noms = [load(Nomination, i, can=can_view, what="推荐对象") for i in data["nomination_ids"]]
    with unit_of_work():
        created = operations.request_police_opinions(noms, g.user)
    return created
