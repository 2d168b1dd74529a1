"""Who may see, enter and link honours: role and organisation asked in one place.

The provincial office and admin manage the province's whole register; a city bureau or 省直 unit sees
and enters honours of holders in its own organisation subtree and decides the links of its own
nominations while it may still edit them; signers and the Ministry do not use the register.
"""
from __future__ import annotations

from nominate.accounts.models import NOMINATING_ROLES, Role
from nominate.nominations import permissions as nperm

REGISTER_ROLES = NOMINATING_ROLES | {Role.PROVINCE_OFFICE, Role.ADMIN}


def can_use_register(user) -> bool:
    return user is not None and user.is_authenticated and user.role in REGISTER_ROLES


def scope_of(user):
    """The organisation whose subtree the user's register covers (None: everything, for admin)."""
    return None if user.role == Role.ADMIN else user.organisation


def can_enter_for(user, organisation) -> bool:
    """May record honours of holders sitting in ``organisation``."""
    if not can_use_register(user):
        return False
    scope = scope_of(user)
    return scope is None or organisation.is_within(scope)


def can_view(user, honour) -> bool:
    """Within the user's part of the tree; never a person's own record (the nominee rule)."""
    own = bool(getattr(user, "person_key", None)) and honour.holder_key == user.person_key
    return can_enter_for(user, honour.organisation) and not own


def can_attach_evidence(user, honour) -> bool:
    return can_view(user, honour)


def can_delete(user, honour) -> bool:
    return can_view(user, honour) and user.role in (Role.PROVINCE_OFFICE, Role.ADMIN)


def can_decide_link(user, nomination) -> bool:
    """Confirm or unlink honours on this nomination (its 备注 changes with them)."""
    if not can_use_register(user):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.PROVINCE_OFFICE:
        return nperm.in_province(user, nomination)
    return nperm.can_edit(user, nomination)


def can_link(user, honour, nomination, *, matched: bool) -> bool:
    """Confirm a link: the nomination is the user's to decide, and the honour is visible to them or
    already attached to (or matching) the nomination."""
    return can_decide_link(user, nomination) and (matched or can_view(user, honour))
