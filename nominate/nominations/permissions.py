"""Who may see, edit and act on a nomination: role, organisation and state asked in one place."""
from __future__ import annotations

from nominate.accounts.models import NOMINATING_ROLES, Role
from nominate.core.checks import person_key  # noqa: F401 (re-exported)
from nominate.nominations.enums import NominationKind
from nominate.organisations.models import OrgKind

SIGNER_SLOT = {Role.SIGNER_DISCIPLINE: "discipline", Role.SIGNER_PERSONNEL: "personnel", Role.SIGNER_POLICE: "police"}


def is_nominee(user, nomination) -> bool:
    """A nominee never acts on their own nomination (征求意见表 注3)."""
    key = getattr(user, "person_key", None)
    return bool(key) and nomination.id_number is not None and key == person_key(nomination.id_number)


def in_province(user, nomination) -> bool:
    return nomination.campaign.province_id == user.organisation_id


def is_owner(user, nomination) -> bool:
    return user.role in NOMINATING_ROLES and nomination.owner_org_id == user.organisation_id


def signer_in_jurisdiction(user, nomination) -> bool:
    if nomination.kind != NominationKind.INDIVIDUAL:
        return False
    if user.role == Role.SIGNER_POLICE:
        return in_province(user, nomination)
    if user.role in (Role.SIGNER_DISCIPLINE, Role.SIGNER_PERSONNEL):
        return nomination.cadre_authority_org_id == user.organisation_id
    return False


def can_view(user, nomination) -> bool:
    if user is None or not user.is_authenticated or is_nominee(user, nomination):
        return False  # a nominee's account never sees their own file (opinions, objections, ranking)
    if nomination.deleted_at is not None:
        return user.role == Role.ADMIN  # a deleted draft: only in the audit trail
    if user.role == Role.ADMIN:
        return True
    if user.role in NOMINATING_ROLES:
        return is_owner(user, nomination)
    if user.role == Role.PROVINCE_OFFICE:
        return in_province(user, nomination)
    if user.role == Role.MINISTRY:
        return user.organisation.kind == OrgKind.MINISTRY and nomination.selected_at is not None
    if user.role in SIGNER_SLOT:
        return signer_in_jurisdiction(user, nomination) and nomination.state_has("shows_opinions")
    return False


def can_view_full_identity(user, nomination) -> bool:
    """Full 身份证号 and phones: the nominating organisation and the provincial office."""
    return can_view(user, nomination) and (is_owner(user, nomination) or user.role in
                                           (Role.PROVINCE_OFFICE, Role.ADMIN, Role.MINISTRY))


def can_edit(user, nomination) -> bool:
    return (is_owner(user, nomination) and nomination.state_has("editable") and not is_nominee(user, nomination)
            and nomination.deleted_at is None)


def can_delete(user, nomination) -> bool:
    """Its own organisation deletes a draft that was never submitted (no publicity started)."""
    return can_edit(user, nomination) and nomination.state_has("deletable")


def can_fire(user, nomination, transition) -> bool:
    """Role and jurisdiction for one event (the guards are checked by the engine)."""
    if user is None or user.role.value not in transition.roles or is_nominee(user, nomination):
        return False
    if user.role in NOMINATING_ROLES:
        return is_owner(user, nomination)
    if user.role == Role.PROVINCE_OFFICE:
        return in_province(user, nomination)
    if user.role == Role.MINISTRY:
        return user.organisation.kind == OrgKind.MINISTRY
    return False


def fire_scope(user, nomination) -> tuple:
    """Everything ``can_fire`` reads but the transition: two nominations in the same state with the same scope allow
    ``user`` the same events, so a list asks ``can_fire`` once per scope and state, not once per row
    (workflow.engine.allowed_events). Keep it beside ``can_fire``: what one reads, the other names."""
    if user is None:
        return (None,)
    return (user.id, user.role, user.organisation_id, is_nominee(user, nomination), nomination.owner_org_id,
            nomination.campaign.province_id)


def can_sign(user, opinion) -> bool:
    return (SIGNER_SLOT.get(user.role) == opinion.slot.value and signer_in_jurisdiction(user, opinion.nomination)
            and not is_nominee(user, opinion.nomination))


def can_sign_now(user, opinion) -> bool:
    """The signer may sign this row and it still waits for a signature (the pages show 签署 exactly then)."""
    return can_sign(user, opinion) and opinion.status.value == "pending"


def can_create_in(user, campaign) -> bool:
    return user.role in NOMINATING_ROLES and user.organisation.province is not None and \
        user.organisation.province.id == campaign.province_id
