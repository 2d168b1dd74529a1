"""API downloads of the filled tables: a nominee's form, a batch's or the province's 汇总表 and reports."""
from __future__ import annotations

from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from nominate.batches.models import CityBatch
from nominate.campaigns.models import Campaign
from nominate.core.api import doc_errors, load, token_required
from nominate.documents import context, operations, rendering
from nominate.documents.views import file_response
from nominate.nominations.models import Nomination

blp = Blueprint("api_documents", __name__, description="官方表格下载（附件2–7、公示报样、推荐工作报告；Word/Excel/PDF）")

_FILES = {mime: {"schema": {"type": "string", "format": "binary"}}
          for mime in (rendering.DOCX_MIME, rendering.XLSX_MIME, rendering.PDF_MIME)}
_FILE_RESPONSE = {"200": {"description": "填好的表格文件（Content-Disposition 附 UTF-8 文件名）", "content": _FILES}}


class DownloadArgs(Schema):
    format = fields.Str(load_default="docx", validate=validate.OneOf(operations.FORMATS),
                        metadata={"description": "docx（默认）或 pdf（服务器装有 LibreOffice 时）"})


class StagedDownloadArgs(DownloadArgs):
    stage = fields.Str(load_default="preliminary", validate=validate.OneOf(context.STAGES),
                       metadata={"description": "preliminary 初审名单（默认）或 formal 正式推荐名单"})




@blp.route("/nominations/<int:nomination_id>/documents/<form>")
@blp.arguments(DownloadArgs, location="query")
@blp.doc(responses=_FILE_RESPONSE)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def nomination_form(args, nomination_id, form):
    """下载推荐对象的表格：window_approval 附件2、individual_approval 附件3、opinion_form 附件4"""
    nomination = load(Nomination, nomination_id, what="推荐对象")
    return file_response(operations.download_nomination_form(g.user, nomination, form, args["format"]))


@blp.route("/batches/<int:batch_id>/documents/<form>")
@blp.arguments(StagedDownloadArgs, location="query")
@blp.doc(responses=_FILE_RESPONSE)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def batch_form(args, batch_id, form):
    """下载推荐批次的表格：附件5/6 汇总表（Word 或 *_xlsx Excel）、推荐工作报告、附件7、公示报样"""
    batch = load(CityBatch, batch_id, what="推荐批次")
    return file_response(operations.download_batch_form(g.user, batch, form, args["stage"], args["format"]))


@blp.route("/campaigns/<int:campaign_id>/documents/<form>")
@blp.arguments(StagedDownloadArgs, location="query")
@blp.doc(responses=_FILE_RESPONSE)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def province_form(args, campaign_id, form):
    """下载全省的汇总表、公示报样、推荐工作报告（省推荐评选办）"""
    campaign = load(Campaign, campaign_id, what="评选活动")
    return file_response(operations.download_province_form(g.user, campaign, form, args["stage"], args["format"]))
