"""Who may download which document: the nomination and batch predicates, plus one rule of this area.

Tables that print a full 身份证号 (附件3, 附件6, the bundles) go only to users who may see every
listed nominee's full identity (``can_view_full_identity``); a city downloads its own batch only;
the provincial office downloads any batch of its province and the province's own documents.
"""
from __future__ import annotations

from nominate.accounts.models import Role
from nominate.batches.permissions import can_view_batch
from nominate.documents.rendering import IDENTITY_FORMS
from nominate.nominations.permissions import can_view, can_view_full_identity


def _sees_every_identity(user, nominees) -> bool:
    return all(can_view_full_identity(user, n) for n in nominees)


def can_download_nomination_form(user, nomination, form: str) -> bool:
    """附件2/4 for anyone who may see the nominee; 附件3 (full 身份证号) only with full identity rights."""
    if form in IDENTITY_FORMS:
        return can_view_full_identity(user, nomination)
    return can_view(user, nomination)


def can_download_batch_form(user, batch, form: str, nominees) -> bool:
    """A batch's tables: its own organisation, the province's office, an admin."""
    if not can_view_batch(user, batch):
        return False
    return form not in IDENTITY_FORMS or _sees_every_identity(user, nominees)


def is_province_staff(user, province) -> bool:
    return user.role == Role.ADMIN or (user.role == Role.PROVINCE_OFFICE and user.organisation_id == province.id)


def can_download_province_form(user, campaign) -> bool:
    """The province's own 汇总表, 公示报样 and reports: its office (and the admin)."""
    return is_province_staff(user, campaign.province)


def can_download_bundle(user, batch, nominees) -> bool:
    """A batch's ZIP bundle holds 附件3/6, so it needs full identity rights for every nominee in it."""
    return can_view_batch(user, batch) and _sees_every_identity(user, nominees)
