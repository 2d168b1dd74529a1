"""Which authentication factors this session has passed, and who must pass two.

The shared contract of every way in (local password, TOTP, recovery code, OpenID Connect): after each
step the session's ``auth_factors`` lists the factors passed — ``password``, ``totp``, ``recovery``,
``oidc``, ``idp-mfa`` (the identity provider asserted a second factor). A session "passed two factors"
when the list holds one of ``totp``, ``recovery`` or ``idp-mfa``. Which roles must do so is configuration
(``TWO_FACTOR_ROLES``); a user who enrolled TOTP of their own accord is asked for it too.
"""
from __future__ import annotations

from flask import current_app, session

SESSION_KEY = "auth_factors"
FACTORS = ("password", "totp", "recovery", "oidc", "idp-mfa")
SECOND_FACTORS = frozenset({"totp", "recovery", "idp-mfa"})


def factors() -> list[str]:
    value = session.get(SESSION_KEY)
    return [f for f in value if f in FACTORS] if isinstance(value, list) else []


def add_factor(name: str) -> None:
    """Record that this session passed factor ``name`` (one of FACTORS)."""
    if name not in FACTORS:
        raise ValueError(f"unknown authentication factor {name!r}")
    current = factors()
    if name not in current:
        session[SESSION_KEY] = current + [name]


def passed_two_factors() -> bool:
    return bool(SECOND_FACTORS.intersection(factors()))


def two_factor_roles() -> frozenset[str]:
    """The role keys that must use two factors (``TWO_FACTOR_ROLES``: a list or a comma-separated string)."""
    value = current_app.config.get("TWO_FACTOR_ROLES") or ()
    if isinstance(value, str):
        value = value.split(",")
    return frozenset(v.strip() for v in value if v.strip())


def must_use_two_factors(user) -> bool:
    """Configuration says ``user``'s role must use two factors."""
    return user.role.value in two_factor_roles()


def second_factor_required(user) -> bool:
    """This user is asked for a second factor at sign-in: their role must, or they enrolled TOTP themselves."""
    return must_use_two_factors(user) or user.totp_enrolled


def owes_second_factor(user) -> bool:
    """The session is signed in but may reach only the sign-in and enrolment pages until it passes one."""
    return second_factor_required(user) and not passed_two_factors()
