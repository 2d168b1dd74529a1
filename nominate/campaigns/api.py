from flask import g
from flask_smorest import Blueprint

from nominate.campaigns.models import Campaign
from nominate.campaigns.schemas import CampaignSchema
from nominate.core.api import doc_errors, load, token_required
from nominate.extensions import db
from nominate.organisations.models import Organisation
from nominate.organisations.schemas import OrganisationSchema

blp = Blueprint("api_campaigns", __name__, description="评选活动与单位")


def _visible_campaigns(user):
    q = db.select(Campaign).order_by(Campaign.id)
    if user.role.value not in ("admin", "ministry"):
        province = user.organisation.province
        q = q.where(Campaign.province_id == (province.id if province else -1))
    return db.session.scalars(q).all()


@blp.route("/campaigns")
@blp.response(200, CampaignSchema(many=True))
@doc_errors(blp, 401)
@token_required
def list_campaigns():
    """评选活动列表"""
    return _visible_campaigns(g.user)


@blp.route("/campaigns/<int:campaign_id>")
@blp.response(200, CampaignSchema)
@doc_errors(blp, 401, 403, 404)
@token_required
def get_campaign(campaign_id):
    """评选活动详情（名额、截止日期）"""
    return load(Campaign, campaign_id, what="评选活动", can=lambda u, c: c in _visible_campaigns(u))


@blp.route("/organisations")
@blp.response(200, OrganisationSchema(many=True))
@doc_errors(blp, 401)
@token_required
def list_organisations():
    """单位列表"""
    return db.session.scalars(db.select(Organisation).order_by(Organisation.parent_id, Organisation.sort_order)).all()
