from flask import g
from flask_smorest import Blueprint

from nominate.batches import operations
from nominate.batches.models import CityBatch
from nominate.batches.permissions import can_view_batch
from nominate.batches.schemas import BatchOrderSchema, BatchReportSchema, BatchSchema
from nominate.core.api import doc_errors, load, token_required
from nominate.core.db import unit_of_work
from nominate.extensions import db

blp = Blueprint("api_batches", __name__, description="推荐批次（排序、推荐工作报告、报送）")


def _get(batch_id):
    return load(CityBatch, batch_id, can=can_view_batch, what="推荐批次")


@blp.route("/batches")
@blp.response(200, BatchSchema(many=True))
@doc_errors(blp, 401)
@token_required
def list_batches():
    """推荐批次列表"""
    rows = db.session.scalars(db.select(CityBatch).order_by(CityBatch.id)).all()
    return [b for b in rows if can_view_batch(g.user, b)]


@blp.route("/batches/<int:batch_id>")
@blp.response(200, BatchSchema)
@doc_errors(blp, 401, 403, 404)
@token_required
def get_batch(batch_id):
    """推荐批次详情"""
    return _get(batch_id)


@blp.route("/batches/<int:batch_id>/report", methods=["PUT"])
@blp.arguments(BatchReportSchema)
@blp.response(200, BatchSchema)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def put_report(data, batch_id):
    """保存推荐工作报告"""
    batch = _get(batch_id)
    with unit_of_work():
        operations.set_batch_report(batch, g.user, **data)
    return batch


@blp.route("/batches/<int:batch_id>/order", methods=["PUT"])
@blp.arguments(BatchOrderSchema)
@blp.response(200, BatchSchema)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def put_order(data, batch_id):
    """调整推荐排序"""
    batch = _get(batch_id)
    with unit_of_work():
        operations.reorder_batch(batch, g.user, data["order"])
    return batch


@blp.route("/batches/<int:batch_id>/submit", methods=["POST"])
@blp.response(200, BatchSchema)
@doc_errors(blp, 401, 403, 404, 409, 422)
@token_required
def submit(batch_id):
    """报送初审材料（名额、基层窗口、截止日期由规则检查）"""
    batch = _get(batch_id)
    with unit_of_work():
        operations.submit_city_batch(batch, g.user)
    return batch
