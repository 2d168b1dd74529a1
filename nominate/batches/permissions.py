from nominate.accounts.models import NOMINATING_ROLES, Role


def can_view_batch(user, batch) -> bool:
    if user.role in NOMINATING_ROLES:
        return batch.organisation_id == user.organisation_id
    if user.role == Role.PROVINCE_OFFICE:
        return batch.organisation.province is not None and batch.organisation.province.id == user.organisation_id
    return user.role == Role.ADMIN


def can_manage_batch(user, batch) -> bool:
    return user.role in NOMINATING_ROLES and batch.organisation_id == user.organisation_id
