from nominate.accounts.models import NOMINATING_ROLES, Role


def holds_own_nomination(user, batch) -> bool:
    """The user is one of the batch's nominees: a nominee never handles their own batch (征求意见表 注3)."""
    from nominate.nominations.permissions import is_nominee

    return bool(getattr(user, "person_key", None)) and any(is_nominee(user, n) for n in batch.nominations)


def can_view_batch(user, batch) -> bool:
    if holds_own_nomination(user, batch):
        return False
    if user.role in NOMINATING_ROLES:
        return batch.organisation_id == user.organisation_id
    if user.role == Role.PROVINCE_OFFICE:
        return batch.organisation.province is not None and batch.organisation.province.id == user.organisation_id
    return user.role == Role.ADMIN


def can_manage_batch(user, batch) -> bool:
    return (user.role in NOMINATING_ROLES and batch.organisation_id == user.organisation_id
            and not holds_own_nomination(user, batch))
