"""Typed access to a campaign file's rules: quotas, limits, eligibility, publicity length."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: What "not yet done" may mean in a campaign file's ``reminders:`` (``pending:``); notifications/reminders.py
#: finds the organisations for each name (its PENDING table; tests/notifications/test_reminders.py holds the two equal).
REMINDER_PENDING = ("batch_not_submitted", "formal_materials_not_submitted")


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


#: The eligibility rules in words, when a campaign file gives none (``eligibility.wording``); the file's numbers and
#: ranks fill the blanks, so a message always says what the file says (副厅局级及以上: the rank itself included).
DEFAULT_WORDING = {
    "forbidden": "不评选{forbidden_from_rank}及以上单位、个人",
    "advisory": "所推荐的先进个人一般为{advisory_max_rank}及以下工作人员",
    "system_years": "须在人社系统工作{min_system_years}年（含）以上",
    "clean_record": "须由证明人确认{clean_record_year}年以来无违法案件和重大违纪问题",
}


@dataclass(frozen=True)
class Quota:
    window: int | None
    individual: int | None
    grassroots_window_min: int = 0

    def for_kind(self, kind: str) -> int | None:
        return self.window if kind == "window" else self.individual


class CampaignRules:
    """Read-only view of the campaign configuration; every rule the guards need lives here."""

    def __init__(self, config: dict):
        self.config = config
        quotas = config.get("quotas", {})
        self.province_quota = Quota(**quotas["province"])
        self._per_city = quotas.get("per_city")
        self._group = quotas.get("provincial_group")
        self._overrides = quotas.get("overrides") or {}
        self.grassroots_levels = set(config.get("grassroots_levels", []))
        limits = config.get("limits", {})
        self.main_deeds_max = int(limits.get("main_deeds_max", 2000))
        self.brief_deeds_max = int(limits.get("brief_deeds_max", 500))
        self.publicity_working_days = int(config.get("publicity", {}).get("working_days", 5))
        #: the day the campaign opened: no publicity of it can have started earlier
        self.opens_on = _date(config.get("opens_on"))
        elig = config.get("eligibility", {})
        self.eligibility_as_of = _date(elig.get("as_of"))
        self.min_system_years = int(elig.get("min_system_years", 0))
        self.admin_ranks: list[str] = list(elig.get("admin_ranks", []))
        self.forbidden_from_rank: str | None = elig.get("forbidden_from_rank")
        self.advisory_max_rank: str | None = elig.get("advisory_max_rank")
        self.clean_record_since = _date(elig.get("clean_record_since"))
        self.clean_record_kinds = set(elig.get("clean_record_required_for", ["window"]))
        words = {"forbidden_from_rank": self.forbidden_from_rank, "advisory_max_rank": self.advisory_max_rank,
                 "min_system_years": self.min_system_years,
                 "clean_record_year": self.clean_record_since.year if self.clean_record_since else ""}
        #: the rules' sentences (DEFAULT_WORDING's keys), from the campaign file
        self.wording = {key: str(text).format(**words)
                        for key, text in {**DEFAULT_WORDING, **(elig.get("wording") or {})}.items()}
        #: how a count of each kind is said in messages (2 个窗口, 1 名个人)
        self.count_words: dict[str, str] = {"window": "个窗口", "individual": "名个人",
                                            **(config.get("count_words") or {})}
        self.copies = int(config.get("copies", 5))
        self.photo_required_for = set(config.get("photo_required_for", ["individual"]))
        retention = config.get("retention") or {}
        years = retention.get("personal_data_years")
        self.personal_data_years: int | None = int(years) if years is not None else None
        self.retention_keep_states: list[str] = list(retention.get("keep_states") or _default_keep_states())

    def city_quota(self, org_code: str, *, is_group: bool = False) -> Quota | None:
        """The recommendation quota of a city (or the 省直 group: None means no own count)."""
        if org_code in self._overrides:
            return Quota(**self._overrides[org_code])
        raw = self._group if is_group else self._per_city
        return Quota(**raw) if raw else None

    def is_grassroots(self, window_level: str | None) -> bool:
        return window_level in self.grassroots_levels

    def rank_index(self, rank: str | None) -> int | None:
        if rank is None or rank not in self.admin_ranks:
            return None
        return self.admin_ranks.index(rank)

    def rank_is_forbidden(self, rank: str | None) -> bool:
        idx, limit = self.rank_index(rank), self.rank_index(self.forbidden_from_rank)
        return idx is not None and limit is not None and idx >= limit

    def rank_needs_justification(self, rank: str | None) -> bool:
        idx, limit = self.rank_index(rank), self.rank_index(self.advisory_max_rank)
        return idx is not None and limit is not None and idx > limit


def _default_keep_states() -> list[str]:
    """The states whose personal data a retention run keeps unless the campaign says otherwise: the
    workflow file's ``keeps_personal_data`` tag (awarded and revoked: a revocation needs the file)."""
    from nominate.workflow.machine import get_workflow

    return sorted(get_workflow().tagged("keeps_personal_data"))
