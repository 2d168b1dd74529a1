"""`flask set-sso-id`: the admin's command to link an account to its person at the 统一身份认证 platform."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from nominate.accounts.models import User
from nominate.accounts.operations import set_sso_id
from nominate.core.db import unit_of_work
from nominate.core.errors import DomainError
from nominate.extensions import db


@click.command("set-sso-id")
@click.argument("username")
@click.argument("sso_id", required=False, default="")
@with_appcontext
def set_sso_id_cmd(username, sso_id):
    """Link USERNAME to SSO_ID (the value of OIDC_MATCH_CLAIM at the platform); no SSO_ID unlinks. Audited; the
    user's open sessions end."""
    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"用户 {username} 不存在")
    try:
        with unit_of_work():
            set_sso_id(None, user, sso_id)
    except DomainError as exc:
        raise click.ClickException(f"{exc.message}（{exc.code}）") from None
    click.echo(f"已将 {username} 关联到统一身份认证标识 {user.sso_id}" if user.sso_id else f"已清除 {username} 的统一身份认证标识")
