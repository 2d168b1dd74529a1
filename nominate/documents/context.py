"""Template contexts built from the database, in the shapes ``form_templates/sample_contexts.py`` shows.

Every value is formatted for print here (dates, labels, 在窗口工作年限), so the templates stay dumb.
Which nominees a table lists, in which order, and the days that date it are chosen in ``documents/queries.py``
(``batch_nominees``, ``province_nominees``, ``batch_day`` …); the 备注 column and the honours lines come from
``remarks_for`` alone.
"""
from __future__ import annotations

import datetime as dt
import re

from form_templates import format_cn_date, format_date, format_period, title_lines
from nominate.core import clock
from nominate.honours import compose
from nominate.honours.queries import honours_by_nomination
from nominate.documents.names import join_unit_position, padded, stroke_key
from nominate.documents.queries import (  # noqa: F401  (chosen there, formatted here; re-exported)
    local_day, _latest, _event, event_day, contacts_signed_day, batch_day,
    province_day, batch_nominees, _org_order, province_nominees, split_kinds, nominee_orgs,
    _periods, owned_nominations, recommended_nominations, _campaign)
from nominate.nominations.enums import Gender, NominationKind, UnitNature, WindowCategory, WindowLevel
from nominate.nominations.models import Nomination
from nominate.opinions.models import OpinionSlot, OpinionStatus, OpinionVerdict
from nominate.organisations.models import Organisation, OrgKind
from nominate.publicity.models import ObjectionStatus, PublicityLevel, PublicityPeriod, PublicityStatus

NATIONAL_TITLE = "全国人力资源社会保障系统优质服务窗口和优质服务先进个人"
#: the seed's addressee of the province's reports (报人社部评比表彰工作领导小组); a campaign file may say otherwise
MINISTRY_OFFICE = "人社部评比表彰工作领导小组"

STAGES = ("preliminary", "formal")
_OPINION_KEYS = {OpinionSlot.DISCIPLINE: "discipline", OpinionSlot.PERSONNEL: "organization",
                 OpinionSlot.POLICE: "police"}
_SCOPES = {PublicityLevel.UNIT: "本单位", PublicityLevel.PROVINCE: "全省", PublicityLevel.NATIONAL: "全国"}
_APPROVAL_LEVELS = ("unit", "county", "city", "province", "ministry")
_SECTION_HEADINGS = {"organization": "推荐工作组织情况", "process": "推荐过程", "consultation": "征求意见情况",
                     "publicity": "公示情况", "ranking": "推荐排序", "opinion": "推荐意见"}


# --- the one seam for 备注 / honours ------------------------------------------------------------


def remarks_for(nomination: Nomination, honours: dict | None = None) -> str:
    """The 备注 of 附件5/6: the honours register's composed text (by level, then year), then the
    nomination's own free-text remarks. The single place the tables take remarks from.

    ``honours``: nomination id -> its honours, read for many nominees at once (``honours_of``); without
    it (or without this nominee in it) the register is read for this one nominee."""
    return compose.remarks_for(nomination, _honours_of_one(nomination, honours))


def honours_for(nomination: Nomination, honours: dict | None = None) -> list[str]:
    """The 获奖情况 lines of 附件2/3: one per linked honour (with issuing body and document number),
    then the free-text remarks split at ``；`` and line breaks."""
    free = [part.strip() for part in re.split(r"[；;\n]", nomination.remarks or "") if part.strip()]
    lines = compose.honour_lines_for(nomination, _honours_of_one(nomination, honours))
    return lines + [f for f in free if not any(f in line for line in lines)]


def honours_of(nominations) -> dict:
    """Each nominee's honours (nomination id -> honours), read for all of them in a few statements."""
    return honours_by_nomination(list(nominations))


def _honours_of_one(nomination: Nomination, honours: dict | None):
    return None if honours is None else honours.get(nomination.id)


class Lists:
    """What the list-level forms of one bundle share, read once: each stage's nominees (``nominees(stage)``
    calls ``read(stage)`` the first time only) and their honours (read for the nominees not yet read)."""

    def __init__(self, read):
        self._read = read
        self._lists: dict[str, list[Nomination]] = {}
        self._honours: dict = {}

    def nominees(self, stage: str) -> list[Nomination]:
        if stage not in self._lists:
            self._lists[stage] = self._read(stage)
        return self._lists[stage]

    def once(self, key, make):
        """``make()`` the first time ``key`` is asked for (the day a list was sent on …), then kept."""
        if key not in self._lists:
            self._lists[key] = make()
        return self._lists[key]

    def honours(self, nominations) -> dict:
        missing = [n for n in nominations if n.id not in self._honours]
        if missing:
            self._honours.update(honours_of(missing))
        return self._honours


# --- formatting -------------------------------------------------------------------------------


def _month(value: dt.date | None) -> str:
    """出生年月 / 参加工作时间 as the tables write them: ``2008.07``."""
    return f"{value.year}.{value.month:02d}" if value else ""


def _label(enum_cls, value) -> str:
    return enum_cls.label_of(getattr(value, "value", value))


def _text(value) -> str:
    return "" if value is None else str(value)


def as_of_date() -> dt.date:
    """Today: only the day 在窗口工作年限 is counted to when no event dates the table."""
    return clock.today()


# --- one nominee ------------------------------------------------------------------------------


def window_dict(nom: Nomination, seq: int | None = None, honours: dict | None = None) -> dict:
    """The ``window`` dict of 附件2 / 附件5 rows / 公示报样 (``honours``: see ``remarks_for``)."""
    return {
        "seq": seq if seq is not None else (nom.rank or ""),
        "name": _text(nom.window_name),
        "unit_name": _text(nom.parent_unit_name),
        "category": _label(WindowCategory, nom.window_category),
        "level": _label(WindowLevel, nom.window_level),
        "nature": _label(UnitNature, nom.unit_nature),
        "admin_level": nom.admin_rank or "无",
        "leader_name": _text(nom.leader_name),
        "leader_position": _text(nom.leader_title),  # 附件2 职务
        "leader_unit_position": _text(nom.leader_position),  # 附件5 单位及职务
        "leader_phone": _text(nom.leader_phone),
        "staff_count": _text(nom.staff_count),
        "address": _text(nom.address),
        "postcode": _text(nom.postcode),
        "honours": honours_for(nom, honours),
        "remarks": remarks_for(nom, honours),
        "main_deeds": _text(nom.main_deeds),
        "summary": _text(nom.brief_deeds),
    }


def window_years(nom: Nomination, as_of: dt.date) -> str:
    years = nom.years_at_window(as_of)
    return "" if years is None else f"{years}年"


def person_dict(nom: Nomination, seq: int | None = None, as_of: dt.date | None = None,
                honours: dict | None = None) -> dict:
    """The ``person`` dict of 附件3/4 / 附件6 rows / 公示报样."""
    return {
        "seq": seq if seq is not None else (nom.rank or ""),
        "name": _text(nom.person_name),
        "gender": _label(Gender, nom.gender),
        "ethnicity": _text(nom.ethnicity),
        "birth": _month(nom.birth_date),
        "political_status": _text(nom.political_status),
        "education": _text(nom.education_degree),
        "id_number": _text(nom.id_number),
        "work_unit": _text(nom.work_unit),
        "unit_nature": _label(UnitNature, nom.unit_nature),
        "position": _text(nom.position),
        "unit_position": join_unit_position(_text(nom.work_unit), _text(nom.position)),
        "admin_level": nom.admin_rank or "无",
        "professional_title": nom.professional_title or "无",
        "work_start": _month(nom.work_start),
        "hrss_start": _month(nom.system_start),
        "window_start": _month(nom.window_start),
        "window_years": window_years(nom, as_of or as_of_date()),
        "phone": _text(nom.phone),
        "honours": honours_for(nom, honours),
        "remarks": remarks_for(nom, honours),
        "main_deeds": _text(nom.main_deeds),
        "summary": _text(nom.brief_deeds),
    }


def _blank_approval_opinions() -> dict:
    # Each level writes its own opinion by hand and seals it; the system does not invent them.
    return {level: {"text": "", "date": ""} for level in _APPROVAL_LEVELS}


def window_approval(nom: Nomination, honours: dict | None = None) -> dict:
    """附件2 优质服务窗口推荐审批表 (``honours``: see ``remarks_for``)."""
    return {"org_name": nom.owner_org.name, "fill_date_cn": _approval_date(nom),
            "window": window_dict(nom, honours=honours), "opinions": _blank_approval_opinions()}


def _approval_date(nom: Nomination) -> str:
    """填报日期 of 附件2/3: the day the formal materials were submitted, or the blank for the pen."""
    return format_cn_date(local_day(nom.formal_submitted_at), nom.campaign.year)


def individual_approval(nom: Nomination, honours: dict | None = None) -> dict:
    """附件3 优质服务先进个人推荐审批表, with the ID photo when one is uploaded."""
    return {"org_name": nom.owner_org.name, "fill_date_cn": _approval_date(nom),
            "person": person_dict(nom, honours=honours), "photo": nom.photo.content if nom.photo else None,
            "opinions": _blank_approval_opinions()}


def opinion_box(opinion) -> dict:
    """One row of 附件4: the signed text, 签字人 and date; an unsigned row stays blank for the pen."""
    if opinion is None or opinion.status != OpinionStatus.SIGNED:
        return {"text": "", "signer": "", "date": ""}
    text = opinion.text or ""
    if opinion.verdict == OpinionVerdict.DISAGREE and not text.startswith("不同意"):
        text = f"不同意。{text}"
    return {"text": text, "signer": opinion.signer_name or "", "date": format_date(opinion.signed_on)}


def opinion_form(nom: Nomination, honours: dict | None = None) -> dict:
    """附件4 优质服务先进个人征求意见表 from the three Opinion rows (it prints no honours)."""
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


# --- 附件5 / 附件6 / 附件7 ----------------------------------------------------------------------


def _footer(org: Organisation) -> dict:
    return {"contact_name": _text(org.contact_name), "contact_phone": _text(org.contact_phone),
            "fax": _text(org.fax)}


def _fill_date(day: dt.date | None) -> str:
    return format_date(day) if day else ""


def window_summary(org: Organisation, windows: list[Nomination], day: dt.date | None = None,
                   honours: dict | None = None) -> dict:
    """附件5: one row per window, numbered in the order given (the rank order); 填表日期 is the day the
    list was sent on (``day``), blank for the pen before that."""
    honours = honours_of(windows) if honours is None else honours
    return {"org_name": org.name, "fill_date": _fill_date(day), **_footer(org),
            "rows": [window_dict(n, seq, honours) for seq, n in enumerate(windows, start=1)]}


def individual_summary(org: Organisation, people: list[Nomination], day: dt.date | None = None,
                       honours: dict | None = None) -> dict:
    """附件6: one row per person, numbered in the order given (the rank order)."""
    as_of = day or as_of_date()
    honours = honours_of(people) if honours is None else honours
    return {"org_name": org.name, "fill_date": _fill_date(day), **_footer(org),
            "rows": [person_dict(n, seq, as_of, honours) for seq, n in enumerate(people, start=1)]}


def contact_form(campaign, org: Organisation) -> dict:
    """附件7 评选工作联系表 from the organisation's contacts and the campaign's deadline."""
    province = campaign.config.get("province", {})
    deadline = campaign.deadline("contact_form")
    note = ""
    if deadline is not None and deadline.due_date is not None:
        email = f"（电子邮箱：{province['email']}）" if province.get("email") else ""
        note = f"请于{format_date(deadline.due_date)}前报送省推荐评选办{email}。"
    keys = ("leader_name", "leader_position", "leader_phone", "leader_mobile", "contact_name", "contact_position",
            "contact_phone", "contact_mobile", "fax", "email", "address", "postcode")
    # dated by the day the organisation confirmed these contacts, never by the download
    return {**{k: _text(getattr(org, k)) for k in keys}, "remarks": "", "org_name": org.name,
            "fill_date": _fill_date(contacts_signed_day(org)), "submit_note": note}


# --- 公示报样 -----------------------------------------------------------------------------------


#: which publicity a list's 公示报样 shows: a city's (or 省直 unit's) own, the province's provincial one
NOTICE_LEVEL = {"batch": PublicityLevel.UNIT, "province": PublicityLevel.PROVINCE}


def publicity_people(people: list[Nomination]) -> list[Nomination]:
    """Individuals as publicity lists print them: by the strokes of the surname (按姓氏笔画), then rank."""
    return sorted(people, key=lambda n: (stroke_key(_text(n.person_name)), n.rank or 0, n.id))


def _notice_person(nom: Nomination, seq: int, honours: dict | None) -> dict:
    person = person_dict(nom, seq, honours=honours)
    female = " （女）" if nom.gender is not None and _label(Gender, nom.gender) == "女" else ""
    person["display_name"] = padded(person["name"]) + female.strip()
    return person


def publicity_notice(campaign, org: Organisation, nominations: list[Nomination],
                     periods: list[PublicityPeriod] | None = None, honours: dict | None = None) -> dict:
    """公示报样 of one publicity period: its publisher, dates and place for objections are the period's;
    the list holds the nominees of ``nominations`` in it, windows first (rank order), then individuals
    按姓氏笔画.  Without a period (none scheduled yet) the dates stay blank for the pen."""
    province = campaign.config.get("province", {})
    period = periods[0] if periods else None
    if periods:
        listed = {e.nomination_id for p in periods for e in p.entries}
        nominations = [n for n in nominations if n.id in listed]
    publisher = period.organisation if period is not None else org
    windows, people = split_kinds(nominations)
    people = publicity_people(people)
    honours = honours_of(nominations) if honours is None else honours
    period_text = period.period_text if period else f"{campaign.year}年    月    日至    月    日"
    title = campaign.config.get("national_title", NATIONAL_TITLE)
    counts = "和".join(part for part in (f"{len(windows)}个窗口" if windows else "",
                                        f"{len(people)}名个人" if people else "") if part)
    if period is not None and period.level == PublicityLevel.PROVINCE or (period is None and org.kind == OrgKind.PROVINCE):
        intro = (f"根据《{province.get('name', org.name)}关于推荐评选{title}的通知》（{campaign.config.get('notice', '')}）"
                 f"要求，经逐级推荐、审核，并报人社部评比表彰工作领导小组初审，拟推荐以下{counts}为{title}。"
                 "现予以公示，接受社会监督。")
    else:
        intro = (f"根据《{province.get('name', '')}关于推荐评选{title}的通知》（{campaign.config.get('notice', '')}）"
                 f"要求，经民主推荐、领导班子集体研究，{publisher.name}拟推荐以下{counts}为{title}推荐对象。"
                 "现予以公示，接受社会监督。")
    is_province = publisher.kind == OrgKind.PROVINCE

    def contact(key):  # the publisher's own record; the campaign file only fills in for the province
        return _text(getattr(publisher, key)) or (province.get(key, "") if is_province else "")

    return {
        "campaign_title": title, "title_lines": title_lines(f"关于{title}拟推荐对象的公示"),
        "intro_text": intro, "period_text": period_text,
        "objection_unit": (province.get("objection_unit") or province.get("office", "")) if is_province
        else publisher.name,
        "contact_name": contact("contact_name"), "contact_phone": contact("contact_phone"),
        "address": contact("address"),
        "windows": [window_dict(n, seq, honours) for seq, n in enumerate(windows, start=1)],
        "individuals": [_notice_person(n, seq, honours) for seq, n in enumerate(people, start=1)],
        "org_name": publisher.name,
        "notice_date": format_date(period.start_date if period else None, campaign.year),
    }


def publicity_notices(campaign, org: Organisation, nominations: list[Nomination], scope: str,
                      honours: dict | None = None) -> list[dict]:
    """One 公示报样 per publicity period of these nominees at the scope's level, oldest first; one blank
    notice when none has been scheduled yet."""
    groups: dict[tuple, list[PublicityPeriod]] = {}
    for p in _periods(nominations, [NOTICE_LEVEL[scope]]):  # one notice per publisher and dates
        groups.setdefault((p.organisation_id, p.start_date, p.end_date), []).append(p)
    honours = honours_of(nominations) if honours is None else honours
    if not groups:
        return [publicity_notice(campaign, org, nominations, honours=honours)]
    return [publicity_notice(campaign, org, nominations, group, honours) for group in groups.values()]


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


def _names(noms) -> str:
    return "、".join(n.name for n in noms)


def _day_text(day: dt.date | None, blank: str = "（待定）") -> str:
    return format_date(day) if day else blank


def _range_text(days) -> str:
    days = sorted(d for d in days if d is not None)
    if not days:
        return ""
    return format_date(days[0]) if days[0] == days[-1] else format_period(days[0], days[-1])


def composed_sections(campaign, org: Organisation, nominations, received, *, formal: bool, scope: str,
                      addressee: str, day: dt.date | None) -> dict:
    """What the records say under each heading of the report, for the headings the official left empty."""
    province = campaign.config.get("province", {})
    title = campaign.config.get("national_title", NATIONAL_TITLE)
    stage = "正式" if formal else "初审"
    windows, people = split_kinds(nominations)
    out = {}
    notice = f"《{province.get('name', '')}关于推荐评选{title}的通知》（{campaign.config.get('notice', '')}）"
    if scope == "province":
        out["organization"] = (f"根据{notice}要求，在{org.name}党组的领导下，由{province.get('office', '')}负责推荐评选的"
                               "日常工作。推荐评选按照自下而上、逐级推荐、差额评选、民主择优的方式进行，严格执行“两审三公示”制度。")
        submitted = [local_day(n.recommended_at) for n in received]
        process = [f"各市人社部门和省直单位于{_range_text(submitted) or '（待定）'}报送初审材料，"
                   f"共推荐优质服务窗口{len(split_kinds(received)[0])}个、优质服务先进个人{len(split_kinds(received)[1])}名。"]
        selected = _latest(local_day(n.selected_at) for n in nominations)
        process.append(f"经省推荐评选办审核，{_day_text(selected)}经省人社厅党组研究确定初审推荐对象，"
                       f"于{_day_text(event_day(nominations, _event('reported_preliminary')))}报人社部评比表彰工作领导小组初审。")
        if formal:
            process.append(f"{_day_text(event_day(nominations, _event('ministry_confirmed')))}人社部反馈拟推荐对象后，征求了省级公安"
                           f"部门意见并进行省级公示，于{_day_text(day)}报送正式推荐材料。")
    else:
        out["organization"] = (f"根据{notice}要求，{org.name}组织开展推荐工作，按照自下而上、逐级推荐、差额评选、民主择优的方式，"
                               "经所在单位民主推荐、领导班子集体研究决定并在本单位公示后，由本单位审核确定推荐对象。")
        units = _periods(nominations, [PublicityLevel.UNIT])
        process = [f"各推荐对象于{_range_text([p.start_date for p in units] + [p.end_date for p in units]) or '（待定）'}"
                   "在本单位进行了公示。",
                   f"经对推荐程序的规范性、推荐材料的真实性以及推荐对象的基本情况、事迹等进行审核，按推荐名额及顺序确定"
                   f"{stage}推荐对象，于{_day_text(day)}报送{addressee}。"]
    out["process"] = "\n".join(process)
    if formal:
        agreed, waiting = [], []
        for nom in people:
            signed = [o for o in nom.opinions if o.status == OpinionStatus.SIGNED]
            ok = len(signed) == len(_OPINION_KEYS) and all(o.verdict == OpinionVerdict.AGREE for o in signed)
            (agreed if ok else waiting).append(nom)
        parts = [f"按照干部管理权限，对{len(people)}名优质服务先进个人推荐对象征求了纪检监察部门、组织人事部门和省级公安部门意见。"]
        if agreed:
            parts.append(f"{_names(agreed)}的三方意见均为同意推荐。")
        if waiting:
            parts.append(f"{_names(waiting)}尚有意见待签署或未同意，详见下表。")
        out["consultation"] = "".join(parts) if people else "本次推荐无优质服务先进个人推荐对象，无需征求意见。"
    rows = _publicity_rows(nominations, [PublicityLevel.UNIT] + ([PublicityLevel.PROVINCE] if formal else []))
    if rows:
        tally: dict[str, int] = {}
        for r in rows:
            tally[r["result"]] = tally.get(r["result"], 0) + 1
        out["publicity"] = (f"推荐对象均按要求进行了为期{campaign.rules.publicity_working_days}个工作日的公示，共{len(rows)}人次："
                            + "，".join(f"{k}{v}人次" for k, v in tally.items()) + "。各推荐对象的公示时间和结果见下表。")
    else:
        out["publicity"] = "推荐对象的公示尚未开始。"
    out["ranking"] = (f"按推荐名额及顺序，推荐优质服务窗口{len(windows)}个、优质服务先进个人{len(people)}名，排序如下。")
    opinion = []
    if windows:
        opinion.append(f"同意推荐{_names(windows)}为全国人社系统优质服务窗口{stage}推荐对象")
    if people:
        opinion.append(f"同意推荐{_names(people)}为全国人社系统优质服务先进个人{stage}推荐对象")
    out["opinion"] = ("经研究，" + "；".join(opinion) + "。") if opinion else "本次无推荐对象。"
    return out


def report(campaign, org: Organisation, nominations: list[Nomination], *, formal: bool, text: str | None,
           received: list[Nomination], addressee: str, per_org_rank: bool = True, day: dt.date | None = None,
           scope: str = "batch") -> dict:
    """初审/正式推荐工作报告: the official's prose; under each heading they left empty, what the records say
    (organisation, process with its dates, opinions, publicity outcomes, rank order, recommendation); the
    counts and tables filled from the data; dated by the day the materials were sent on."""
    windows, people = split_kinds(nominations)
    rules = campaign.rules
    levels = [PublicityLevel.UNIT] + ([PublicityLevel.PROVINCE] if formal else [])
    received_windows, received_people = split_kinds(received)
    sections = report_sections(text, formal)
    composed = composed_sections(campaign, org, nominations, received, formal=formal, scope=scope,
                                 addressee=addressee, day=day)
    for key, value in composed.items():
        if key in sections and not sections[key].strip():
            sections[key] = value
    title = campaign.config.get("national_title", NATIONAL_TITLE)
    ctx = {
        "campaign_title": title,
        "title_lines": title_lines(f"关于{title}{'正式' if formal else '初审'}推荐工作的报告"),
        "addressee": addressee,
        "org_name": org.name,
        "report_text": sections,
        "counts": {"windows_received": len(received_windows), "individuals_received": len(received_people),
                   "windows": len(windows),
                   "grassroots_windows": sum(rules.is_grassroots(_text(n.window_level)) for n in windows),
                   "individuals": len(people)},
        "publicity": _publicity_rows(nominations, levels),
        "ranking": _ranking_rows(nominations, per_org_rank),
        "contact_name": _text(org.contact_name), "contact_phone": _text(org.contact_phone),
        "report_date": format_date(day, campaign.year),
    }
    if formal:
        ctx["consultations"] = _consultation_rows(people)
    return ctx


def batch_report(batch, stage: str) -> dict:
    """The city's (or 省直 unit's) 推荐工作报告 to the provincial office."""
    formal = stage == "formal"
    campaign = _campaign(batch.campaign_id)
    addressee = campaign.config.get("province", {}).get("office", "")
    return report(campaign, batch.organisation, batch_nominees(batch, stage), formal=formal,
                  text=batch.formal_report_text if formal else batch.report_text,
                  received=owned_nominations(campaign, batch.organisation), addressee=addressee,
                  day=batch_day(batch, stage))


def province_report(campaign, stage: str, nominees: list[Nomination] | None = None) -> dict:
    """The province's 推荐工作报告 to the Ministry (no stored prose yet: sections stay for the pen);
    ``nominees``: the stage's list when the caller has read it."""
    formal = stage == "formal"
    received = recommended_nominations(campaign)
    nominees = province_nominees(campaign, stage) if nominees is None else nominees
    return report(campaign, campaign.province, nominees, formal=formal, text=None,
                  received=received, addressee=campaign.config.get("ministry_office", MINISTRY_OFFICE),
                  per_org_rank=False, day=province_day(campaign, stage, nominees), scope="province")


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
             f"{_ym(nom.birth_date)}生", _text(nom.political_status), _text(nom.education_degree)]
    if nom.work_start:
        parts.append(f"{_ym(nom.work_start)}参加工作")
    parts += [f"{_ym(nom.system_start)}参加人社系统工作", f"{_ym(nom.window_start)}起在窗口工作",
              f"现任{join_unit_position(_text(nom.work_unit), _text(nom.position))}（{nom.admin_rank or '无'}）"]
    return "，".join(p for p in parts if p) + "。"


def deeds(campaign, org: Organisation, nominations: list[Nomination], *, brief: bool) -> dict:
    """推荐对象基本情况和主要事迹 / 简要事迹 of a list, in its order (windows first, each by rank)."""
    windows, people = split_kinds(nominations)
    items, groups = [], []
    for label, noms in (("优质服务窗口", windows), ("优质服务先进个人", people)):
        group = []
        for nom in noms:
            text = nom.brief_deeds if brief else nom.main_deeds
            # 简要事迹 names a person with unit and 职务, as the 公示 does: 张晓梅（女），…窗口科员
            female = "（女）" if nom.kind == NominationKind.INDIVIDUAL and _label(Gender, nom.gender) == "女" else ""
            who = (f"{nom.name}{female}，{join_unit_position(_text(nom.work_unit), _text(nom.position))}"
                   if nom.kind == NominationKind.INDIVIDUAL else nom.name)
            group.append({"seq": len(items) + 1, "group_seq": len(group) + 1, "name": nom.name, "heading": who,
                          "kind": nom.kind_label, "unit": _unit_of(nom), "basic": basic_facts(nom),
                          "text": "\n".join(ln for ln in (text or "").splitlines() if ln.strip())})
            items.append(group[-1])
        if group:
            groups.append({"label": label, "items": group})
    for n, group in enumerate(groups):
        group["heading"] = f"{NUMERALS[n]}、{group['label']}（{len(group['items'])}{'个' if group['label'].endswith('窗口') else '名'}）"
    title = f"{NATIONAL_TITLE}推荐对象{'简要事迹' if brief else '基本情况和主要事迹'}"
    return {"campaign_title": NATIONAL_TITLE, "title_lines": title_lines(title), "org_name": org.name,
            "items": items, "groups": groups}


NUMERALS = "一二三四五六七八九十"


def _list_context(campaign, org, lists: Lists, report_for, form: str, stage: str, day, scope: str) -> dict:
    """Dispatch a list-level form; ``lists.nominees(stage)`` gives the list, ``report_for(stage)`` the report,
    ``day(stage)`` the day the list was sent on (its 填表日期)."""
    nominees = lists.nominees
    if form in ("window_summary", "individual_summary"):
        listed = nominees(stage)
        windows, people = split_kinds(listed)
        return window_summary(org, windows, day(stage), lists.honours(listed)) if form == "window_summary" \
            else individual_summary(org, people, day(stage), lists.honours(listed))
    if form in ("main_deeds", "brief_deeds"):
        return deeds(campaign, org, nominees(stage), brief=form == "brief_deeds")
    if form == "contact_form":
        return contact_form(campaign, org)
    if form == "publicity_notice":  # the newest period's notice; the bundles hold one per period
        return publicity_notices(campaign, org, nominees("formal"), scope, lists.honours(nominees("formal")))[-1]
    if form in ("preliminary_report", "formal_report"):
        return report_for("formal" if form == "formal_report" else "preliminary")
    raise KeyError(form)


def batch_lists(batch) -> Lists:
    return Lists(lambda s: batch_nominees(batch, s))


def province_lists(campaign) -> Lists:
    return Lists(lambda s: province_nominees(campaign, s))


def batch_context(batch, form: str, stage: str = "preliminary", lists: Lists | None = None) -> dict:
    """The context of one batch-level form (附件5/6/7, 公示报样, the reports); ``lists``: what the forms of
    one bundle share (``batch_lists``), else read for this form alone."""
    return _list_context(_campaign(batch.campaign_id), batch.organisation, lists or batch_lists(batch),
                         lambda s: batch_report(batch, s), form, stage, lambda s: batch_day(batch, s), "batch")


def province_context(campaign, form: str, stage: str = "preliminary", lists: Lists | None = None) -> dict:
    """The context of one province-level form: its 汇总表, 公示报样 or 推荐工作报告; ``lists`` as above
    (``province_lists``)."""
    lists = lists or province_lists(campaign)

    def day(stage_):
        return lists.once(("day", stage_), lambda: province_day(campaign, stage_, lists.nominees(stage_)))

    return _list_context(campaign, campaign.province, lists, lambda s: province_report(campaign, s, lists.nominees(s)),
                         form, stage, day, "province")
