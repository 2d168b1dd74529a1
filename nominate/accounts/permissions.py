"""Who may act on an account's own things: a session record or an API token is its owner's alone."""
from __future__ import annotations


def can_manage_own(user, row) -> bool:
    """``row`` (a UserSession or an ApiToken) belongs to ``user``: only they see, end or revoke it."""
    return user is not None and row.user_id == user.id
