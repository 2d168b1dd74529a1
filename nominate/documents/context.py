"""Template contexts built from the database, in the shapes ``form_templates/sample_contexts.py`` shows.

Every value is formatted for print here (dates, labels, 在窗口工作年限), so the templates stay dumb.
Which nominees a table lists, and in which order, is decided by ``batch_nominees`` and
``province_nominees``; the 备注 column and the honours lines come from ``remarks_for`` alone.
"""
from __future__ import annotations

import datetime as dt
import re

from form_templates import format_cn_date, format_date
from nominate.core import clock
from nominate.extensions import db
from nominate.nominations.enums import Gender, NominationKind, UnitNature, WindowCategory, WindowLevel
from nominate.nominations.models import Nomination
from nominate.opinions.models import OpinionSlot, OpinionStatus, OpinionVerdict
from nominate.organisations.models import Organisation, OrgKind
from nominate.publicity.models import ObjectionStatus, PublicityEntry, PublicityLevel, PublicityPeriod, PublicityStatus

NATIONAL_TITLE = "全国人力资源社会保障系统优质服务窗口和优质服务先进个人"
MINISTRY_OFFICE = "人力资源社会保障部评比达标表彰工作领导小组办公室"

STAGES = ("preliminary", "formal")
_OPINION_KEYS = {OpinionSlot.DISCIPLINE: "discipline", OpinionSlot.PERSONNEL: "organization",
                 OpinionSlot.POLICE: "police"}
_SCOPES = {PublicityLevel.UNIT: "本单位", PublicityLevel.PROVINCE: "全省", PublicityLevel.NATIONAL: "全国"}
_APPROVAL_LEVELS = ("unit", "county", "city", "province", "ministry")
_SECTION_HEADINGS = {"organization": "推荐工作组织情况", "process": "推荐过程", "consultation": "征求意见情况",
                     "publicity": "公示情况", "ranking": "推荐排序", "opinion": "推荐意见"}


# --- the one seam for 备注 / honours ------------------------------------------------------------


def remarks_for(nomination: Nomination) -> str:
    """The 备注 of 附件5/6: the honours register's composed text (by level, then year), then the
    nomination's own free-text remarks. The single place the tables take remarks from."""
    from nominate.honours.compose import remarks_for as composed_remarks

    return composed_remarks(nomination)


def honours_for(nomination: Nomination) -> list[str]:
    """The 获奖情况 lines of 附件2/3: one per linked honour (with issuing body and document number),
    then the free-text remarks split at ``；`` and line breaks."""
    from nominate.honours.compose import honour_lines_for

    free = [part.strip() for part in re.split(r"[；;\n]", nomination.remarks or "") if part.strip()]
    lines = honour_lines_for(nomination)
    return lines + [f for f in free if not any(f in line for line in lines)]


# --- formatting -------------------------------------------------------------------------------


def _month(value: dt.date | None) -> str:
    """出生年月 / 参加工作时间 as the tables write them: ``2008.07``."""
    return f"{value.year}.{value.month:02d}" if value else ""


def _label(enum_cls, value) -> str:
    return enum_cls.label_of(getattr(value, "value", value))


def _text(value) -> str:
    return "" if value is None else str(value)


def as_of_date() -> dt.date:
    """The date the tables are filled on (填表日期), also the day 在窗口工作年限 is counted to."""
    return clock.today()


# --- one nominee ------------------------------------------------------------------------------


def window_dict(nom: Nomination, seq: int | None = None) -> dict:
    """The ``window`` dict of 附件2 / 附件5 rows / 公示报样."""
    return {
        "seq": seq if seq is not None else (nom.rank or ""),
        "name": _text(nom.window_name),
        "unit_name": _text(nom.parent_unit_name),
        "category": _label(WindowCategory, nom.window_category),
        "level": _label(WindowLevel, nom.window_level),
        "nature": _label(UnitNature, nom.unit_nature),
        "admin_level": nom.admin_rank or "无",
        "leader_name": _text(nom.leader_name),
        # One field holds 单位及职务 (the 附件5 column), which is also what 附件2 prints as 职务.
        "leader_position": _text(nom.leader_position),
        "leader_unit_position": _text(nom.leader_position),
        "leader_phone": _text(nom.leader_phone),
        "staff_count": _text(nom.staff_count),
        "address": _text(nom.address),
        "postcode": "",
        "honours": honours_for(nom),
        "remarks": remarks_for(nom),
        "main_deeds": _text(nom.main_deeds),
        "summary": _text(nom.brief_deeds),
    }


def window_years(nom: Nomination, as_of: dt.date) -> str:
    years = nom.years_at_window(as_of)
    return "" if years is None else f"{years}年"


def person_dict(nom: Nomination, seq: int | None = None, as_of: dt.date | None = None) -> dict:
    """The ``person`` dict of 附件3/4 / 附件6 rows / 公示报样."""
    return {
        "seq": seq if seq is not None else (nom.rank or ""),
        "name": _text(nom.person_name),
        "gender": _label(Gender, nom.gender),
        "ethnicity": _text(nom.ethnicity),
        "birth": _month(nom.birth_date),
        "political_status": _text(nom.political_status),
        "education": _text(nom.education),
        "id_number": _text(nom.id_number),
        "work_unit": _text(nom.work_unit),
        "unit_nature": _label(UnitNature, nom.unit_nature),
        "position": _text(nom.position),
        "admin_level": nom.admin_rank or "无",
        "professional_title": nom.professional_title or "无",
        "work_start": _month(nom.work_start),
        "hrss_start": _month(nom.system_start),
        "window_start": _month(nom.window_start),
        "window_years": window_years(nom, as_of or as_of_date()),
        "phone": _text(nom.phone),
        "honours": honours_for(nom),
        "remarks": remarks_for(nom),
        "main_deeds": _text(nom.main_deeds),
        "summary": _text(nom.brief_deeds),
    }


def _blank_approval_opinions() -> dict:
    # Each level writes its own opinion by hand and seals it; the system does not invent them.
    return {level: {"text": "", "date": ""} for level in _APPROVAL_LEVELS}


def window_approval(nom: Nomination) -> dict:
    """附件2 优质服务窗口推荐审批表."""
    return {"org_name": nom.owner_org.name, "fill_date_cn": format_cn_date(as_of_date()),
            "window": window_dict(nom), "opinions": _blank_approval_opinions()}


def individual_approval(nom: Nomination) -> dict:
    """附件3 优质服务先进个人推荐审批表, with the ID photo when one is uploaded."""
    return {"org_name": nom.owner_org.name, "fill_date_cn": format_cn_date(as_of_date()),
            "person": person_dict(nom), "photo": nom.photo.content if nom.photo else None,
            "opinions": _blank_approval_opinions()}


def opinion_box(opinion) -> dict:
    """One row of 附件4: the signed text, 签字人 and date; an unsigned row stays blank for the pen."""
    if opinion is None or opinion.status != OpinionStatus.SIGNED:
        return {"text": "", "signer": "", "date": ""}
    text = opinion.text or ""
    if opinion.verdict == OpinionVerdict.DISAGREE and not text.startswith("不同意"):
        text = f"不同意。{text}"
    return {"text": text, "signer": opinion.signer_name or "", "date": format_date(opinion.signed_on)}


def opinion_form(nom: Nomination) -> dict:
    """附件4 优质服务先进个人征求意见表 from the three Opinion rows."""
    by_slot = {o.slot: o for o in nom.opinions}
    return {
        "year": nom.campaign.year,
        "person": {"name": _text(nom.person_name), "work_unit": _text(nom.work_unit),
                   "position": _text(nom.position)},
        "opinions": {key: opinion_box(by_slot.get(slot)) for slot, key in _OPINION_KEYS.items()},
    }


NOMINATION_FORMS = {"window_approval": window_approval, "individual_approval": individual_approval,
                    "opinion_form": opinion_form}
#: which kind of nominee each per-nominee form is for
NOMINATION_FORM_KIND = {"window_approval": NominationKind.WINDOW, "individual_approval": NominationKind.INDIVIDUAL,
                        "opinion_form": NominationKind.INDIVIDUAL}


# --- lists in rank order ----------------------------------------------------------------------


def batch_nominees(batch, stage: str = "preliminary") -> list[Nomination]:
    """The batch's 推荐对象 in rank order: all it recommended (初审) or those with formal materials (正式)."""
    ranked = sorted((n for n in batch.nominations if n.rank is not None), key=lambda n: (n.rank, n.id))
    if stage == "formal":
        ranked = [n for n in ranked if n.state_has("formal")]  # formal materials due or done
    return ranked


def _org_order(org: Organisation) -> tuple:
    # Cities in campaign order first, 省直 units last (by their group's then their own order).
    if org.kind == OrgKind.CITY:
        return (0, org.sort_order, 0, org.id)
    parent = org.parent
    return (1, parent.sort_order if parent else 0, org.sort_order, org.id)


def province_nominees(campaign, stage: str = "preliminary") -> list[Nomination]:
    """The province's list: its selection (初审推荐对象) or the formal list; by city, then rank."""
    rows = db.session.scalars(db.select(Nomination).where(Nomination.campaign_id == campaign.id,
                                                          Nomination.selected_at.is_not(None))).all()
    if stage == "formal":
        rows = [n for n in rows if n.state_has("formal")]
    return sorted(rows, key=lambda n: (_org_order(n.owner_org), n.rank or 0, n.id))


def split_kinds(nominations) -> tuple[list[Nomination], list[Nomination]]:
    windows = [n for n in nominations if n.kind == NominationKind.WINDOW]
    return windows, [n for n in nominations if n.kind == NominationKind.INDIVIDUAL]


def nominee_orgs(nominations) -> list[Organisation]:
    """The organisations owning these nominees, in province order (the bundle's sub-folders)."""
    orgs = {n.owner_org.id: n.owner_org for n in nominations}
    return sorted(orgs.values(), key=_org_order)


# --- 附件5 / 附件6 / 附件7 ----------------------------------------------------------------------


def _footer(org: Organisation) -> dict:
    return {"contact_name": _text(org.contact_name), "contact_phone": _text(org.contact_phone),
            "fax": _text(org.fax)}


def window_summary(org: Organisation, windows: list[Nomination]) -> dict:
    """附件5: one row per window, numbered in the order given (the rank order)."""
    return {"org_name": org.name, "fill_date": format_date(as_of_date()), **_footer(org),
            "rows": [window_dict(n, seq) for seq, n in enumerate(windows, start=1)]}


def individual_summary(org: Organisation, people: list[Nomination]) -> dict:
    """附件6: one row per person, numbered in the order given (the rank order)."""
    as_of = as_of_date()
    return {"org_name": org.name, "fill_date": format_date(as_of), **_footer(org),
            "rows": [person_dict(n, seq, as_of) for seq, n in enumerate(people, start=1)]}


def contact_form(campaign, org: Organisation) -> dict:
    """附件7 评选工作联系表 from the organisation's contacts and the campaign's deadline."""
    province = campaign.config.get("province", {})
    deadline = campaign.deadline("contact_form")
    note = ""
    if deadline is not None and deadline.due_date is not None:
        email = f"（电子邮箱：{province['email']}）" if province.get("email") else ""
        note = f"请于{format_date(deadline.due_date)}前报送省推荐评选办{email}。"
    blank = dict.fromkeys(("leader_name", "leader_position", "leader_phone", "leader_mobile", "contact_position",
                           "contact_mobile", "email", "postcode", "remarks"), "")
    return {**blank, "org_name": org.name, "fill_date": format_date(as_of_date()), **_footer(org),
            "address": _text(org.address), "submit_note": note}


# --- 公示报样 -----------------------------------------------------------------------------------


def _periods(nominations, levels) -> list[PublicityPeriod]:
    ids = [n.id for n in nominations]
    if not ids:
        return []
    return db.session.scalars(
        db.select(PublicityPeriod).join(PublicityEntry).where(PublicityEntry.nomination_id.in_(ids),
                                                              PublicityPeriod.level.in_(levels))
        .distinct().order_by(PublicityPeriod.start_date, PublicityPeriod.id)).all()


def publicity_notice(campaign, org: Organisation, nominations: list[Nomination]) -> dict:
    """公示报样: the provincial publicity of these nominees (blank period until one is scheduled)."""
    province = campaign.config.get("province", {})
    windows, people = split_kinds(nominations)
    periods = _periods(nominations, [PublicityLevel.PROVINCE])
    period_text = periods[-1].period_text if periods else f"{campaign.year}年    月    日至    月    日"
    title = campaign.config.get("national_title", NATIONAL_TITLE)
    counts = "和".join(part for part in (f"{len(windows)}个窗口" if windows else "",
                                        f"{len(people)}名个人" if people else "") if part)
    intro = (f"根据《{province.get('name', org.name)}关于推荐评选{title}的通知》（{campaign.config.get('notice', '')}）"
             f"要求，经逐级推荐、审核，并报人社部评比表彰工作领导小组初审，拟推荐以下{counts}为{title}。"
             "现予以公示，接受社会监督。")
    return {
        "campaign_title": title, "intro_text": intro, "period_text": period_text,
        "objection_unit": province.get("objection_unit") or province.get("office", ""),
        "contact_name": province.get("contact_name", ""), "contact_phone": province.get("contact_phone", ""),
        "address": province.get("address", ""),
        "windows": [window_dict(n, seq) for seq, n in enumerate(windows, start=1)],
        "individuals": [person_dict(n, seq) for seq, n in enumerate(people, start=1)],
        "org_name": org.name, "notice_date": format_date(periods[-1].start_date if periods else None, campaign.year),
    }


# --- 推荐工作报告 -------------------------------------------------------------------------------


def report_sections(text: str | None, formal: bool) -> dict:
    """Split the official's report prose into the template's sections.

    A line that names a section heading (``二、推荐过程``) starts that section; prose before any
    heading is the opening paragraph.  Sections the official did not write stay empty.
    """
    keys = ["opening", *(k for k in _SECTION_HEADINGS if formal or k != "consultation")]
    sections = {k: [] for k in keys}
    current = "opening"
    for line in (text or "").splitlines():
        bare = re.sub(r"^[一二三四五六七八九十]+[、.．]\s*", "", line.strip())
        heading = next((k for k, h in _SECTION_HEADINGS.items() if bare == h and k in sections), None)
        if heading:
            current = heading
        elif line.strip():
            sections[current].append(line.strip())
    return {k: "\n".join(v) for k, v in sections.items()}


def _kind_short(nom: Nomination) -> str:
    return "窗口" if nom.kind == NominationKind.WINDOW else "个人"


def _unit_of(nom: Nomination) -> str:
    return _text(nom.parent_unit_name if nom.kind == NominationKind.WINDOW else nom.work_unit)


def _publicity_result(period: PublicityPeriod, nom: Nomination) -> str:
    objections = [o for o in period.objections if o.nomination_id == nom.id]
    if any(o.status == ObjectionStatus.UPHELD for o in objections):
        return "异议经核查属实"
    if any(o.status == ObjectionStatus.OPEN for o in objections):
        return "异议核查中"
    if period.status == PublicityStatus.OPEN:
        return "公示中"
    return "异议经核查不属实" if objections else "无异议"


def _publicity_rows(nominations, levels) -> list[dict]:
    """One row per nominee and publicity period, nominees in list order, periods by date."""
    order = {n.id: i for i, n in enumerate(nominations)}
    found = []
    for period in _periods(nominations, levels):
        for entry in period.entries:
            if entry.nomination_id in order:
                found.append((order[entry.nomination_id], period.start_date, period, entry.nomination))
    found.sort(key=lambda t: t[:2])
    return [{"seq": seq, "name": nom.name, "kind": _kind_short(nom), "scope": _SCOPES[period.level],
             "period_text": period.period_text, "result": _publicity_result(period, nom)}
            for seq, (_, _, period, nom) in enumerate(found, start=1)]


def _ranking_rows(nominations, per_org_rank: bool) -> list[dict]:
    rows, counters = [], {}
    for nom in nominations:
        kind = _kind_short(nom)
        counters[kind] = counters.get(kind, 0) + 1
        remarks = (_label(WindowLevel, nom.window_level) + "窗口") if nom.kind == NominationKind.WINDOW \
            else _text(nom.position)
        rows.append({"rank": nom.rank if per_org_rank and nom.rank else counters[kind], "kind": kind,
                     "name": nom.name, "unit": _unit_of(nom), "remarks": remarks})
    return sorted(rows, key=lambda r: (r["kind"] != "窗口",))


def _consultation(opinion) -> str:
    if opinion is None or opinion.status != OpinionStatus.SIGNED:
        return "待签署"
    return f"{opinion.verdict.label}（{format_date(opinion.signed_on)}）"


def _consultation_rows(people) -> list[dict]:
    rows = []
    for seq, nom in enumerate(people, start=1):
        by_slot = {o.slot: o for o in nom.opinions}
        rows.append({"seq": seq, "name": nom.name,
                     **{key: _consultation(by_slot.get(slot)) for slot, key in _OPINION_KEYS.items()}})
    return rows


def report(campaign, org: Organisation, nominations: list[Nomination], *, formal: bool, text: str | None,
           received: list[Nomination], addressee: str, per_org_rank: bool = True) -> dict:
    """初审/正式推荐工作报告: the official's prose plus counts and tables filled from the data."""
    windows, people = split_kinds(nominations)
    rules = campaign.rules
    levels = [PublicityLevel.UNIT] + ([PublicityLevel.PROVINCE] if formal else [])
    received_windows, received_people = split_kinds(received)
    ctx = {
        "campaign_title": campaign.config.get("national_title", NATIONAL_TITLE),
        "addressee": addressee,
        "org_name": org.name,
        "report_text": report_sections(text, formal),
        "counts": {"windows_received": len(received_windows), "individuals_received": len(received_people),
                   "windows": len(windows),
                   "grassroots_windows": sum(rules.is_grassroots(_text(n.window_level)) for n in windows),
                   "individuals": len(people)},
        "publicity": _publicity_rows(nominations, levels),
        "ranking": _ranking_rows(nominations, per_org_rank),
        "contact_name": _text(org.contact_name), "contact_phone": _text(org.contact_phone),
        "report_date": format_date(as_of_date()),
    }
    if formal:
        ctx["consultations"] = _consultation_rows(people)
    return ctx


def owned_nominations(campaign, org: Organisation) -> list[Nomination]:
    """Every nominee the organisation entered in the campaign (推荐对象 it received)."""
    return db.session.scalars(db.select(Nomination).where(Nomination.campaign_id == campaign.id,
                                                          Nomination.owner_org_id == org.id)).all()


def batch_report(batch, stage: str) -> dict:
    """The city's (or 省直 unit's) 推荐工作报告 to the provincial office."""
    formal = stage == "formal"
    campaign = _campaign(batch.campaign_id)
    addressee = campaign.config.get("province", {}).get("office", "")
    return report(campaign, batch.organisation, batch_nominees(batch, stage), formal=formal,
                  text=batch.formal_report_text if formal else batch.report_text,
                  received=owned_nominations(campaign, batch.organisation), addressee=addressee)


def province_report(campaign, stage: str) -> dict:
    """The province's 推荐工作报告 to the Ministry (no stored prose yet: sections stay for the pen)."""
    formal = stage == "formal"
    received = db.session.scalars(db.select(Nomination).where(Nomination.campaign_id == campaign.id,
                                                              Nomination.recommended_at.is_not(None))).all()
    return report(campaign, campaign.province, province_nominees(campaign, stage), formal=formal, text=None,
                  received=received, addressee=campaign.config.get("ministry_office", MINISTRY_OFFICE),
                  per_org_rank=False)


def _campaign(campaign_id):
    from nominate.campaigns.models import Campaign

    return db.session.get(Campaign, campaign_id)


# --- per batch / per province, by form key -----------------------------------------------------


def _ym(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月" if value else ""


def basic_facts(nom: Nomination) -> str:
    """The 基本情况 paragraph of 主要事迹材料, in the sentence officials write."""
    if nom.kind == NominationKind.WINDOW:
        parts = [f"{nom.window_name}隶属于{nom.parent_unit_name}" if nom.parent_unit_name else _text(nom.window_name),
                 f"属{_label(WindowCategory, nom.window_category)}窗口",
                 f"窗口级别为{_label(WindowLevel, nom.window_level)}",
                 f"单位性质为{_label(UnitNature, nom.unit_nature)}，行政级别{nom.admin_rank or '无'}"]
        if nom.staff_count:
            parts.append(f"现有工作人员{nom.staff_count}名")
        if nom.leader_name:
            parts.append(f"窗口负责人{nom.leader_name}（{_text(nom.leader_position)}）")
        return "，".join(parts) + "。"
    parts = [_text(nom.person_name), _label(Gender, nom.gender), _text(nom.ethnicity),
             f"{_ym(nom.birth_date)}生", _text(nom.political_status), _text(nom.education)]
    if nom.work_start:
        parts.append(f"{_ym(nom.work_start)}参加工作")
    parts += [f"{_ym(nom.system_start)}参加人社系统工作", f"{_ym(nom.window_start)}起在窗口工作",
              f"现任{_text(nom.work_unit)}{_text(nom.position)}（{nom.admin_rank or '无'}）"]
    return "，".join(p for p in parts if p) + "。"


def deeds(campaign, org: Organisation, nominations: list[Nomination], *, brief: bool) -> dict:
    """推荐对象基本情况和主要事迹 / 简要事迹 of a list, in its order (windows first, each by rank)."""
    windows, people = split_kinds(nominations)
    items = []
    for seq, nom in enumerate(windows + people, start=1):
        text = nom.brief_deeds if brief else nom.main_deeds
        items.append({"seq": seq, "name": nom.name, "kind": nom.kind_label, "unit": _unit_of(nom),
                      "basic": basic_facts(nom), "text": "\n".join(ln for ln in (text or "").splitlines() if ln.strip())})
    return {"campaign_title": NATIONAL_TITLE, "org_name": org.name, "items": items}


def _list_context(campaign, org, nominees, report_for, form: str, stage: str) -> dict:
    """Dispatch a list-level form; ``nominees(stage)`` gives the list, ``report_for(stage)`` the report."""
    if form in ("window_summary", "individual_summary"):
        windows, people = split_kinds(nominees(stage))
        return window_summary(org, windows) if form == "window_summary" else individual_summary(org, people)
    if form in ("main_deeds", "brief_deeds"):
        return deeds(campaign, org, nominees(stage), brief=form == "brief_deeds")
    if form == "contact_form":
        return contact_form(campaign, org)
    if form == "publicity_notice":
        return publicity_notice(campaign, org, nominees("formal"))
    if form in ("preliminary_report", "formal_report"):
        return report_for("formal" if form == "formal_report" else "preliminary")
    raise KeyError(form)


def batch_context(batch, form: str, stage: str = "preliminary") -> dict:
    """The context of one batch-level form (附件5/6/7, 公示报样, the reports)."""
    return _list_context(_campaign(batch.campaign_id), batch.organisation, lambda s: batch_nominees(batch, s),
                         lambda s: batch_report(batch, s), form, stage)


def province_context(campaign, form: str, stage: str = "preliminary") -> dict:
    """The context of one province-level form: its 汇总表, 公示报样 or 推荐工作报告."""
    return _list_context(campaign, campaign.province, lambda s: province_nominees(campaign, s),
                         lambda s: province_report(campaign, s), form, stage)
