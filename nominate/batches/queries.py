"""Read-side views of a city's batch: how much of its quota is used (the same count the guards use)."""
from __future__ import annotations

from dataclasses import dataclass

from nominate.nominations.enums import NominationKind
from nominate.nominations.queries import occupying_places, quota_scope
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


def quota_usage(campaign, org) -> QuotaUsage:
    """Places held by ``org``'s quota scope (a city, or the 省直 group): recommended and not withdrawn."""
    scope = quota_scope(org)
    quota = campaign.rules.city_quota(scope.code, is_group=scope.kind == OrgKind.PROVINCIAL_GROUP)
    noms = occupying_places(campaign, scope)
    windows = [n for n in noms if n.kind == NominationKind.WINDOW]
    grassroots = [n for n in windows if campaign.rules.is_grassroots(n.window_level and n.window_level.value)]
    return QuotaUsage(scope.short_name, len(windows), len(grassroots),
                      sum(1 for n in noms if n.kind == NominationKind.INDIVIDUAL),
                      quota.window if quota else None, quota.individual if quota else None,
                      quota.grassroots_window_min if quota else 0)
