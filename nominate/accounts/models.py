from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from nominate.core import clock
from nominate.core.enums import LabelledEnum, enum_column
from nominate.extensions import db
from nominate.organisations.models import Organisation


class Role(LabelledEnum):
    CITY_BUREAU = ("city_bureau", "市级人社部门")
    PROVINCIAL_UNIT = ("provincial_unit", "省直单位")
    PROVINCE_OFFICE = ("province_office", "省推荐评选办")
    SIGNER_DISCIPLINE = ("signer_discipline", "纪检监察部门")
    SIGNER_PERSONNEL = ("signer_personnel", "组织人事部门")
    SIGNER_POLICE = ("signer_police", "省级公安部门")
    MINISTRY = ("ministry", "人社部评比表彰工作领导小组")
    ADMIN = ("admin", "系统管理员")


NOMINATING_ROLES = {Role.CITY_BUREAU, Role.PROVINCIAL_UNIT}
SIGNER_ROLES = {Role.SIGNER_DISCIPLINE, Role.SIGNER_PERSONNEL, Role.SIGNER_POLICE}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(64))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # SHA-256 of the user's own 身份证号, when known: a nominee can never act on their own nomination.
    person_key: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    # Raised by logout, password change, deactivation, a change of role or organisation: every session
    # cookie carries the version it was opened with and stops working once it is raised.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The person's identifier at the provincial 统一身份认证 platform (the value of OIDC_MATCH_CLAIM: sub, login
    # name or 工号), entered by the admin: single sign-on finds the account by it, never creates one.
    sso_id: Mapped[str | None] = mapped_column(sa.String(128), unique=True)
    # Raised by the admin's "unlock": the login throttle counts failures per (account, address, this).
    login_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # Two factors (TOTP, RFC 6238): the shared secret once enrolment is confirmed, and the last time step
    # accepted, so a code is never accepted twice (a code seen over a shoulder cannot be replayed).
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enrolled_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # False for an invited account until its first login sets a password (the hash is then unusable).
    password_set: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def set_password(self, password: str) -> None:
        from flask import current_app

        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        if not self.password_set:
            return False  # an invitation not yet accepted: no password opens it
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return bool(self.active)

    @property
    def totp_enrolled(self) -> bool:
        return self.totp_secret is not None

    @property
    def role_label(self) -> str:
        return self.role.label

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, the clear value is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "nmt_" + secrets.token_urlsafe(32)


def secret_hash(value: str) -> str:
    """SHA-256 of a high-entropy secret (recovery code, invitation or session id): enough for values
    nobody can guess, and a lookup by equality."""
    return hashlib.sha256(value.encode()).hexdigest()


class RecoveryCode(db.Model):
    """A one-time code that stands in for the TOTP code when the phone is lost; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.wall)
    used_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Invitation(db.Model):
    """The admin's one-time, expiring link that lets an invited account set its first password."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.wall)
    expires_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class UserSession(db.Model):
    """The server side of one login: the cookie carries its id (only the hash is stored) and the user's
    session version it was opened with. It ends when the user's session version is raised (logout of all,
    password change, deactivation, move), when the user or the admin ends it here, or when idle too long."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    sid_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    session_version: Mapped[int] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.wall)
    last_seen_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.wall)
    address: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")
    ended_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(sa.String(20))
    # the TOTP secret shown on the enrolment page until a code confirms it (kept here, never in the cookie)
    totp_pending: Mapped[str | None] = mapped_column(sa.String(64))

    @property
    def started(self) -> dt.datetime:
        return clock.utc(self.created_at)

    @property
    def seen(self) -> dt.datetime:
        return clock.utc(self.last_seen_at)
