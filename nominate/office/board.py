"""What the provincial office's pages show, read from the records: each city's batch with its lateness, and the
差额 selection board (rows, totals, distributions). Rules and reading only; the views draw them."""
from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import defer, lazyload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from nominate.batches.models import BatchSnapshot, CityBatch
from nominate.campaigns.models import CampaignDeadline, DeadlineExtension
from nominate.campaigns.queries import nominating_orgs
from nominate.core import clock
from nominate.extensions import db
from nominate.honours.models import LEVEL_ORDER
from nominate.honours.queries import honours_by_nomination
from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination
from nominate.nominations import standards
from nominate.organisations.models import OrgKind
from nominate.core.db import reading
from nominate.workflow.engine import allowed_events
from nominate.workflow.readiness import check_event
from nominate.workflow.machine import get_workflow


#: a batch nominee's columns the bundle links' permission asks (documents.permissions.can_download_bundle)
BUNDLE_LINK_COLUMNS = (Nomination.campaign_id, Nomination.kind, Nomination.state, Nomination.owner_org_id,
                       Nomination.cadre_authority_org_id, Nomination.batch_id, Nomination.rank, Nomination.id_number,
                       Nomination.selected_at, Nomination.deleted_at)


def _batch_statements():
    """各市报送's three statements, built once (their loader options cost more to build than to run)."""
    campaign_id = db.bindparam("campaign_id")
    # each batch with its number of submissions and its nominees (what the bundle links ask of them: rank, state,
    # identity, owner), in two statements
    submissions = (db.select(db.func.count(BatchSnapshot.id)).where(BatchSnapshot.batch_id == CityBatch.id)
                   .correlate(CityBatch).scalar_subquery())
    batches = db.select(CityBatch, submissions).where(CityBatch.campaign_id == campaign_id).options(
        defer(CityBatch.report_text), defer(CityBatch.formal_report_text),  # long texts this page never shows
        selectinload(CityBatch.nominations).options(load_only(*BUNDLE_LINK_COLUMNS), lazyload(Nomination.campaign),
                                                    lazyload(Nomination.owner_org)))
    # the campaign's deadlines (the page lists them) with each organisation's extension of each, in one statement
    extensions = (db.select(CampaignDeadline, DeadlineExtension)
                  .outerjoin(DeadlineExtension, db.and_(DeadlineExtension.campaign_id == CampaignDeadline.campaign_id,
                                                        DeadlineExtension.deadline_key == CampaignDeadline.key))
                  .where(CampaignDeadline.campaign_id == campaign_id)
                  .order_by(CampaignDeadline.sort_order, CampaignDeadline.id))
    counts = (db.select(Nomination.owner_org_id, Nomination.state, db.func.count())
              .where(Nomination.campaign_id == campaign_id, Nomination.deleted_at.is_(None))
              .group_by(Nomination.owner_org_id, Nomination.state))
    return batches, extensions, counts


_BATCHES, _EXTENSIONS, _COUNTS = _batch_statements()


def batch_rows(campaign, orgs) -> list[dict]:
    """Every nominating organisation's batch: submission day, extension, lateness, counts per overview column."""
    found = db.session.execute(_BATCHES, {"campaign_id": campaign.id}).all()
    batches = {b.organisation_id: b for b, _ in found}
    submitted_times = {b.id: n for b, n in found}
    deadlines, extensions = {}, {}
    for deadline, e in db.session.execute(_EXTENSIONS, {"campaign_id": campaign.id}):
        deadlines.setdefault(deadline.id, deadline)
        if e is not None:
            extensions[(e.organisation_id, e.deadline_key)] = e
    if "deadlines" not in sa.inspect(campaign).dict:  # the campaign's deadlines are these: not read again
        set_committed_value(campaign, "deadlines", list(deadlines.values()))
    counts = {(org_id, state.value): n
              for org_id, state, n in db.session.execute(_COUNTS, {"campaign_id": campaign.id})}
    due = campaign.deadline("preliminary_materials")
    wf = get_workflow(campaign.workflow)
    rows = []
    for org in orgs:
        b = batches.get(org.id)
        ext = extensions.get((org.id, "preliminary_materials"))
        limit = ext.until if ext else (due.due_date if due else None)
        submitted = clock.local_day(b.submitted_at) if b else None
        # 省直 units self-declare (宁缺毋滥): not submitting is a choice, never "late"
        self_declaring = org.kind == OrgKind.PROVINCIAL_UNIT
        late = not self_declaring and limit is not None and ((submitted or clock.today()) > limit)
        rows.append({"org": org, "batch": b, "extension": ext, "late": late, "submitted_on": submitted,
                     "submissions": submitted_times[b.id] if b else 0,
                     "self_declaring": self_declaring,
                     "columns": [sum(counts.get((org.id, s), 0) for s in states) for _, states in wf.overview]})
    return rows


def honour_weight(honours) -> tuple:
    """Sort key for 按荣誉排序: more national, then provincial, … honours first."""
    counts = [0] * len(LEVEL_ORDER)
    for h in honours:
        counts[LEVEL_ORDER[h.level]] += 1
    return tuple(-c for c in counts)


def board_data(user, campaign, *, sort: str = "rank", honoured_only: bool = False) -> dict:
    """The 差额 selection board: every recommended nominee by city and rank, totals and distributions
    (``distributions``: (title, [(label, count)]) pairs); sortable and filterable by the nominees' honours."""
    # the campaign is the one given (already in the session): not joined again on every row (its file, a JSON
    # document of some kilobytes, was decoded once per nominee)
    noms = db.session.scalars(db.select(Nomination).options(lazyload(Nomination.campaign)).where(
        Nomination.campaign_id == campaign.id, Nomination.recommended_at.is_not(None))
        .order_by(Nomination.rank, Nomination.id)).all()
    orgs = nominating_orgs(campaign)
    order = {org.id: i for i, org in enumerate(orgs)}
    noms.sort(key=lambda n: (order.get(n.owner_org_id, 999), n.rank or 99, n.id))
    honours = honours_by_nomination(noms)
    rows = []
    with reading():  # the same readiness check as the to-do list: a button only when it passes today
        for n in noms:
            checks = [check_event(n, t, user) for t in allowed_events(user, n) if t.board]  # the file's order
            rows.append({"nom": n, "events": [c.transition for c in checks if c.doable],
                         "blocked": [(c.transition, c.blocked_text) for c in checks if not c.doable],
                         "honours": honours.get(n.id, [])})
    if honoured_only:
        rows = [r for r in rows if r["honours"]]
    if sort == "honours":
        rows.sort(key=lambda r: honour_weight(r["honours"]))  # stable: ties keep city and rank order
    selected = [n for n in noms if n.selected_at is not None]
    quota = campaign.rules.province_quota
    rules = campaign.rules

    def dist(items, key):
        c = Counter(key(n) or "未填" for n in items)
        return sorted(c.items(), key=lambda kv: -kv[1])

    def by_code(items, field):
        """Counted by the standard's code ("汉" stored before the lists and "汉族" are one bar), shown by name."""
        standard = standards.for_field(field)
        c, names = Counter(), {}
        for n in items:
            raw = getattr(n, field)
            code = standard.code_of(raw) if raw else None
            key = code or (f"?{raw}" if raw else "")
            names[key] = (standard.name_of_code(code) if code else f"{raw}（未规范）" if raw else "未填")
            c[key] += 1
        return [(names[k], v) for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]

    windows = [n for n in selected if n.kind == NominationKind.WINDOW]
    people = [n for n in selected if n.kind == NominationKind.INDIVIDUAL]
    grassroots = sum(1 for n in windows if rules.is_grassroots(n.window_level and n.window_level.value))
    city_counts = Counter(n.owner_org.short_name for n in selected)
    distributions = [
        ("已确定对象的地区分布", [(o.short_name, city_counts.get(o.short_name, 0)) for o in orgs]),
        ("窗口类别", dist(windows, lambda n: n.window_category and n.window_category.label)),
        ("窗口级别", dist(windows, lambda n: n.window_level and n.window_level.label)),
        ("先进个人：性别", dist(people, lambda n: n.gender and n.gender.label)),
        ("先进个人：民族", by_code(people, "ethnicity")),
        ("先进个人：政治面貌", by_code(people, "political_status")),
        ("先进个人：学历", by_code(people, "education")),
    ]
    wf = get_workflow(campaign.workflow)
    at_city = wf.tagged("at_city")  # recommended, not yet (re)submitted: counted apart from what reached us
    occupying = wf.tagged("occupies_place")
    sent = [n for n in noms if n.state.value in occupying and n.state.value not in at_city]
    waiting = [n for n in noms if n.state.value in at_city]
    return {"rows": rows, "sort": sort, "honoured_only": honoured_only, "selected_windows": len(windows),
            "selected_people": len(people), "quota": quota, "grassroots": grassroots, "distributions": distributions,
            "candidates": {kind.value: sum(1 for n in sent if n.kind == kind) for kind in NominationKind},
            "at_city": {kind.value: sum(1 for n in waiting if n.kind == kind) for kind in NominationKind}}
