from nominate.accounts.models import NOMINATING_ROLES, Role
from nominate.nominations import permissions as nperm

RUNNERS = {"unit": NOMINATING_ROLES, "province": {Role.PROVINCE_OFFICE},
           "national": {Role.PROVINCE_OFFICE, Role.MINISTRY}}


def can_handle_objections(user, period, nomination) -> bool:
    """Who records and investigates objections: the body running that publicity."""
    if user.role not in RUNNERS[period.level.value] or nperm.is_nominee(user, nomination):
        return False
    if user.role in NOMINATING_ROLES:
        return nperm.is_owner(user, nomination)
    if user.role == Role.PROVINCE_OFFICE:
        return nperm.in_province(user, nomination)
    return user.role == Role.MINISTRY


def can_resolve_objection(user, objection) -> bool:
    """Record an investigation's outcome: whoever handles the period's objections, while this one is open."""
    return objection.status.value == "open" and can_handle_objections(user, objection.period, objection.nomination)


def can_see_objector(user, period) -> bool:
    """The objector's identity is never shown to the nominating organisation (or anyone but the runner)."""
    if period.level.value == "unit":
        return False if user.role in NOMINATING_ROLES else user.role in (Role.PROVINCE_OFFICE, Role.ADMIN)
    return user.role in RUNNERS[period.level.value] | {Role.ADMIN} and user.role not in NOMINATING_ROLES


def can_run(user, period) -> bool:
    """Who starts and ends a provincial or national publicity: the runner of that level, in its province."""
    from nominate.campaigns.models import Campaign
    from nominate.extensions import db

    if user.role not in RUNNERS[period.level.value] or user.role in NOMINATING_ROLES:
        return False
    if user.role == Role.MINISTRY:
        return True
    return db.session.get(Campaign, period.campaign_id).province_id == user.organisation_id
