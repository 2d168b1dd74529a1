"""Load or update a campaign (and its organisations) from its file in workflows/campaigns/."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import yaml

from nominate.audit import operations as audit
from nominate.campaigns.models import Campaign, CampaignDeadline
from nominate.campaigns.rules import REMINDER_PENDING, CampaignRules
from nominate.core.errors import DomainError
from nominate.extensions import db
from nominate.organisations.models import Organisation, OrgKind

MINISTRY = {"code": "mohrss", "name": "人力资源和社会保障部", "short_name": "人社部"}
REQUIRED_KEYS = ("key", "workflow", "title", "period_label", "year", "province", "cities", "quotas", "deadlines")


class CampaignFileError(DomainError):
    status = 422

    def __init__(self, message: str, field: str | None = None):
        super().__init__("campaign_file_invalid", message, field)


def parse_campaign_file(path: str | Path) -> tuple[dict, str]:
    raw = Path(path).read_bytes()
    try:
        config = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise CampaignFileError(f"活动文件不是有效的 YAML：{exc}") from None
    validate_config(config)
    return _jsonable(config), hashlib.sha256(raw).hexdigest()


def validate_config(config) -> None:
    if not isinstance(config, dict):
        raise CampaignFileError("活动文件应为键值结构")
    for key in REQUIRED_KEYS:
        if key not in config:
            raise CampaignFileError(f"活动文件缺少必填项 {key}", key)
    from nominate.workflow.machine import get_workflow

    get_workflow(config["workflow"])  # must exist
    if not isinstance(config.get("retention") or {}, dict):
        raise CampaignFileError("retention 应为键值结构（personal_data_years、keep_states）", "retention")
    try:
        rules = CampaignRules(_jsonable(config))
        for kind in ("window", "individual"):
            if rules.province_quota.for_kind(kind) is None:
                raise CampaignFileError(f"quotas.province.{kind} 必须填写", "quotas")
        for rank in (rules.forbidden_from_rank, rules.advisory_max_rank):
            if rank and rank not in rules.admin_ranks:
                raise CampaignFileError(f"行政级别 {rank} 不在 eligibility.admin_ranks 中", "eligibility")
        _check_retention(rules, config["workflow"])
    except (TypeError, KeyError, ValueError) as exc:
        raise CampaignFileError(f"活动文件规则格式错误：{exc}") from None
    keys = [d.get("key") for d in config["deadlines"]]
    if len(set(keys)) != len(keys) or None in keys:
        raise CampaignFileError("deadlines 中每项须有唯一的 key", "deadlines")
    _validate_reminders(config, set(keys))


def _validate_reminders(config, deadline_keys) -> None:
    """`reminders:` (issue 17): each names a deadline of the file, working days and what "not yet done" is."""
    for i, r in enumerate(config.get("reminders") or []):
        where = f"reminders[{i}]"
        if not isinstance(r, dict) or r.get("deadline") not in deadline_keys:
            raise CampaignFileError(f"{where}.deadline 须为 deadlines 中的一个 key", "reminders")
        days = r.get("working_days_before")
        if not isinstance(days, list) or not days or not all(isinstance(d, int) and 1 <= d <= 30 for d in days):
            raise CampaignFileError(f"{where}.working_days_before 须为 1 至 30 之间的工作日天数列表", "reminders")
        if r.get("pending") not in REMINDER_PENDING:
            raise CampaignFileError(f"{where}.pending 须为 {'、'.join(REMINDER_PENDING)} 之一", "reminders")


def _check_retention(rules: CampaignRules, workflow: str) -> None:
    """retention.personal_data_years: a whole number of years (1–100); keep_states: states of the workflow."""
    from nominate.workflow.machine import get_workflow

    years = (rules.config.get("retention") or {}).get("personal_data_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 100):
        raise CampaignFileError("retention.personal_data_years 须为 1 至 100 的整数（年）", "retention")
    unknown = set(rules.retention_keep_states) - set(get_workflow(workflow).states)
    if unknown:
        raise CampaignFileError(f"retention.keep_states 中的状态不存在：{'、'.join(sorted(unknown))}", "retention")


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _upsert_org(spec: dict, kind: OrgKind, parent: Organisation | None, order: int) -> Organisation:
    org = db.session.scalar(db.select(Organisation).filter_by(code=spec["code"]))
    if org is None:
        org = Organisation(code=spec["code"], kind=kind)
        db.session.add(org)
    org.name = spec["name"]
    org.short_name = spec.get("short_name") or spec["name"]
    org.kind = kind
    org.parent = parent
    org.sort_order = order
    for attr in ("contact_name", "contact_phone", "fax", "address"):
        if spec.get(attr):
            setattr(org, attr, spec[attr])
    return org


def load_campaign(path: str | Path, actor=None) -> Campaign:
    """Create or update the campaign described by ``path``; one transaction, one audit row."""
    config, digest = parse_campaign_file(path)
    ministry = _upsert_org(MINISTRY, OrgKind.MINISTRY, None, 0)
    province = _upsert_org(config["province"], OrgKind.PROVINCE, ministry, 0)
    for i, city in enumerate(config["cities"], start=1):
        _upsert_org(city, OrgKind.CITY, province, i)
    if config.get("provincial_group"):
        _upsert_org(config["provincial_group"], OrgKind.PROVINCIAL_GROUP, province, 100)

    campaign = db.session.scalar(db.select(Campaign).filter_by(key=config["key"]))
    created = campaign is None
    if created:
        campaign = Campaign(key=config["key"])
        db.session.add(campaign)
    campaign.title = config["title"]
    campaign.period_label = config["period_label"]
    campaign.year = int(config["year"])
    campaign.workflow = config["workflow"]
    campaign.province = province
    campaign.config = config
    campaign.source_sha256 = digest
    campaign.__dict__.pop("rules", None)

    existing = {d.key: d for d in campaign.deadlines}
    for i, spec in enumerate(config["deadlines"]):
        deadline = existing.get(spec["key"])
        if deadline is None:
            deadline = CampaignDeadline(key=spec["key"])
            campaign.deadlines.append(deadline)
        deadline.label = spec["label"]
        deadline.sort_order = i
        if spec.get("date") is not None:  # a date the province set later survives a reload
            deadline.due_date = dt.date.fromisoformat(str(spec["date"]))
    db.session.flush()
    audit.record(actor, "campaign_loaded" if created else "campaign_updated", object_type="campaign",
                 object_id=campaign.id, campaign_id=campaign.id,
                 data={"file": Path(path).name, "sha256": digest})
    return campaign
