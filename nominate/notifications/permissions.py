"""A notice is its recipient's alone; the outbox and the failed jobs are the admin's."""
from nominate.accounts.models import Role


def can_read(user, notification) -> bool:
    return user is not None and user.is_authenticated and notification.user_id == user.id


def can_oversee_jobs(user) -> bool:
    return user is not None and user.is_authenticated and user.role == Role.ADMIN
