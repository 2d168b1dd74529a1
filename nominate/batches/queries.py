"""Read-side views of a city's batch: how much of its quota is used (the same count the guards use)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy.orm import lazyload, selectinload

from nominate.batches.models import BatchSnapshot, CityBatch
from nominate.core.masking import mask_id, mask_phone, mask_text
from nominate.extensions import db
from nominate.nominations import fields as F

from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination
from nominate.nominations.queries import occupying_kinds, quota_scope
from nominate.organisations.models import OrgKind


@dataclass
class QuotaUsage:
    scope_name: str
    windows: int
    grassroots: int
    individuals: int
    window_quota: int | None
    individual_quota: int | None
    grassroots_min: int

    @property
    def has_quota(self) -> bool:
        return self.window_quota is not None or self.individual_quota is not None


def dashboard_batch(campaign_id: int, org_id: int) -> CityBatch | None:
    """The organisation's batch as its page reads it: its nominees (their campaign and organisation, which the page
    holds, not joined on every row) and its submissions without their content (the page shows when, not what)."""
    return db.session.scalar(db.select(CityBatch).filter_by(campaign_id=campaign_id, organisation_id=org_id).options(
        selectinload(CityBatch.nominations).options(lazyload(Nomination.campaign), lazyload(Nomination.owner_org)),
        selectinload(CityBatch.snapshots).defer(BatchSnapshot.content)))


def quota_usage(campaign, org) -> QuotaUsage:
    """Places held by ``org``'s quota scope (a city, or the 省直 group): recommended and not withdrawn."""
    scope = quota_scope(org)
    quota = campaign.rules.city_quota(scope.code, is_group=scope.kind == OrgKind.PROVINCIAL_GROUP)
    noms = occupying_kinds(campaign, scope)  # what is counted: kind and window level, not whole rows
    windows = [level for kind, level in noms if kind == NominationKind.WINDOW]
    grassroots = [level for level in windows if campaign.rules.is_grassroots(level and level.value)]
    return QuotaUsage(scope.short_name, len(windows), len(grassroots),
                      sum(1 for kind, _ in noms if kind == NominationKind.INDIVIDUAL),
                      quota.window if quota else None, quota.individual if quota else None,
                      quota.grassroots_window_min if quota else 0)


# --- what was submitted: snapshots and the difference between two submissions ------------------------------

def _shown(spec, value) -> str:
    """A field's value as the snapshot keeps it: labels for choices, dates as days, numbers masked."""
    if value is None or value == "":
        return ""
    if hasattr(value, "label"):
        return value.label
    if hasattr(value, "isoformat"):
        return f"{value.year}年{value.month}月{value.day}日"
    text = str(value)
    if spec.sensitive:
        return mask_id(text) if spec.name == "id_number" else mask_phone(text)
    return mask_text(text)


def nominee_record(nom) -> dict:
    """One nominee as submitted: rank, name, kind and every field of its kind (label → shown value)."""
    return {"id": nom.id, "rank": nom.rank, "name": nom.name, "kind": nom.kind_label,
            "fields": {spec.label: _shown(spec, getattr(nom, spec.name)) for spec in F.FIELDS
                       if nom.kind.value in spec.kinds}}


def snapshot_content(batch, submitted_states) -> dict:
    """The batch as the province receives it now: the report and the ranked nominees sent (``submitted_states``)."""
    ranked = sorted((n for n in batch.nominations if n.rank is not None and n.state.value in submitted_states),
                    key=lambda n: n.rank)
    return {"report_text": batch.report_text or "", "nominations": [nominee_record(n) for n in ranked]}


def text_changes(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) pieces, kind ``same`` / ``del`` / ``ins``, character by character (Chinese has no words)."""
    out = []
    matcher = difflib.SequenceMatcher(None, old or "", new or "", autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", old[i1:i2]))
            continue
        if i2 > i1:
            out.append(("del", old[i1:i2]))
        if j2 > j1:
            out.append(("ins", new[j1:j2]))
    return out


@dataclass
class NomineeChange:
    name: str
    kind: str
    what: str  # added / removed / changed
    old_rank: int | None = None
    new_rank: int | None = None
    fields: list = None  # (label, old, new, pieces or None)


@dataclass
class SnapshotDiff:
    old_number: int
    new_number: int
    report: list | None  # text pieces when the report changed
    nominees: list[NomineeChange]

    @property
    def empty(self) -> bool:
        return self.report is None and not self.nominees


LONG_TEXT = 40  # longer values are shown as a marked-up text difference, shorter ones as old → new


def snapshot_diff(old, new) -> SnapshotDiff:
    """What changed from submission ``old`` to ``new`` (BatchSnapshot rows): report, order, nominees, fields."""
    a, b = old.content, new.content
    report = text_changes(a["report_text"], b["report_text"]) if a["report_text"] != b["report_text"] else None
    before = {n["id"]: n for n in a["nominations"]}
    after = {n["id"]: n for n in b["nominations"]}
    changes = []
    for nid, n in after.items():
        if nid not in before:
            changes.append(NomineeChange(n["name"], n["kind"], "added", new_rank=n["rank"]))
            continue
        o = before[nid]
        fields = []
        for label in [*o["fields"], *[k for k in n["fields"] if k not in o["fields"]]]:
            ov, nv = o["fields"].get(label, ""), n["fields"].get(label, "")
            if ov != nv:
                long = max(len(ov), len(nv)) > LONG_TEXT
                fields.append((label, ov, nv, text_changes(ov, nv) if long else None))
        if fields or o["rank"] != n["rank"]:
            changes.append(NomineeChange(n["name"], n["kind"], "changed", o["rank"], n["rank"], fields))
    for nid, o in before.items():
        if nid not in after:
            changes.append(NomineeChange(o["name"], o["kind"], "removed", old_rank=o["rank"]))
    changes.sort(key=lambda c: (c.new_rank or 99, c.old_rank or 99))
    return SnapshotDiff(old.number, new.number, report, changes)


def latest_changes(batch) -> SnapshotDiff | None:
    """The difference of the batch's last submission from the one before (None before a resubmission)."""
    snaps = batch.snapshots
    return snapshot_diff(snaps[-2], snaps[-1]) if len(snaps) >= 2 else None
