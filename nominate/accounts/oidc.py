"""Single sign-on by OpenID Connect against the provincial 统一身份认证 platform, with Authlib's Flask client.

Authlib does the protocol: discovery, the authorization code flow with PKCE (S256), ``state`` and ``nonce`` kept in
the session, the ID token's signature (the provider's JWKS), issuer, audience, expiry and nonce. This module says
what the answer means for nominate: which value identifies the person (``OIDC_MATCH_CLAIM``) and whether the
provider asserted a second factor (``OIDC_MFA_AMR`` / ``OIDC_MFA_ACR``). Finding the account, refusing and
auditing happen in the views and ``accounts.operations``; nothing here writes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import requests
from authlib.integrations.flask_client import OAuth, OAuthError
from joserfc.errors import JoseError
from flask import current_app

#: what the session says about how the user authenticated (the interface the two-factor gate reads)
FACTOR_OIDC = "oidc"
FACTOR_IDP_MFA = "idp-mfa"

_CLIENT_KEYS = ("OIDC_ISSUER", "OIDC_DISCOVERY_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES",
                "OIDC_TIMEOUT_SECONDS")
_EXTENSION = "nominate.oidc"


class SsoFailed(Exception):
    """The platform's answer cannot sign anyone in: ``code`` for the audit trail, ``message`` for the user."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass(frozen=True)
class SsoIdentity:
    """Who the platform says signed in: ``value`` of the match claim, the ``subject`` and the factors."""

    value: str
    subject: str
    factors: tuple[str, ...]
    claims: dict = field(repr=False, default_factory=dict)


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[\s,]+", text or "") if w}


def configured() -> bool:
    return bool(current_app.config.get("OIDC_ISSUER"))


def local_login_enabled() -> bool:
    return bool(current_app.config.get("LOCAL_LOGIN", True))


def provider_name() -> str:
    return current_app.config.get("OIDC_PROVIDER_NAME") or "统一身份认证平台"


def check_config(config) -> None:
    """Refuse to start with settings that would lock everyone out or can never work."""
    if not config.get("LOCAL_LOGIN", True) and not config.get("OIDC_ISSUER"):
        raise RuntimeError("LOCAL_LOGIN=0 关闭了用户名密码登录，须同时配置 OIDC_ISSUER（统一身份认证平台），否则无人能够登录")
    if config.get("OIDC_ISSUER"):
        if not config.get("OIDC_CLIENT_ID"):
            raise RuntimeError("已配置 OIDC_ISSUER，须同时配置 OIDC_CLIENT_ID（在统一身份认证平台登记的客户端标识）")
        if "openid" not in _words(config.get("OIDC_SCOPES", "")):
            raise RuntimeError("OIDC_SCOPES 须包含 openid（否则平台不返回 ID Token）")
        if not config.get("OIDC_MATCH_CLAIM"):
            raise RuntimeError("OIDC_MATCH_CLAIM 不能为空（用于匹配本系统账号的声明，如 preferred_username）")


def _client():
    """The Authlib client for the current settings (one per app; built again when the settings change)."""
    app = current_app._get_current_object()
    key = tuple(str(app.config.get(k)) for k in _CLIENT_KEYS)
    cached = app.extensions.get(_EXTENSION)
    if cached is None or cached[0] != key:
        issuer = app.config["OIDC_ISSUER"]
        oauth = OAuth(app)
        client = oauth.register(
            "nominate_sso",
            client_id=app.config["OIDC_CLIENT_ID"],
            client_secret=app.config.get("OIDC_CLIENT_SECRET") or None,
            server_metadata_url=app.config.get("OIDC_DISCOVERY_URL") or f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": " ".join(sorted(_words(app.config["OIDC_SCOPES"]))),
                           "code_challenge_method": "S256",
                           "default_timeout": float(app.config.get("OIDC_TIMEOUT_SECONDS") or 10)},
        )
        cached = app.extensions[_EXTENSION] = (key, client)
    return cached[1]


def _unavailable() -> SsoFailed:
    return SsoFailed("sso_unavailable", f"{provider_name()}暂时无法访问，请稍后再试或联系系统管理员", 503)


def authorize_redirect(redirect_uri: str):
    """The redirect to the platform's login page (state, nonce and the PKCE verifier are kept in the session)."""
    try:
        return _client().authorize_redirect(redirect_uri)
    except (requests.RequestException, ValueError, KeyError, OAuthError):
        raise _unavailable() from None


def complete_authorization() -> SsoIdentity:
    """Exchange the code the browser brought back and check the ID token; who signed in, with which factors."""
    client = _client()
    try:
        token = client.authorize_access_token()
    except OAuthError as exc:
        if exc.error == "mismatching_state":
            raise SsoFailed("sso_state", "登录请求已失效或并非由本系统发起，请重新登录") from None
        if exc.error == "access_denied":
            raise SsoFailed("sso_denied", f"已在{provider_name()}取消登录", 403) from None
        raise SsoFailed("sso_error", f"{provider_name()}拒绝了登录（{exc.error}）", 400) from None
    except JoseError:
        raise SsoFailed("sso_token_invalid", f"{provider_name()}返回的身份令牌未通过校验（签名、签发方、受众、有效期或 nonce）",
                        400) from None
    except (requests.RequestException, ValueError, KeyError):
        raise _unavailable() from None
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise SsoFailed("sso_no_id_token", f"{provider_name()}未返回身份令牌（ID Token）", 400)
    match = current_app.config["OIDC_MATCH_CLAIM"]
    if match not in claims:  # many platforms give profile claims only at the userinfo endpoint
        try:
            info = dict(client.userinfo(token=token))
        except (requests.RequestException, ValueError, OAuthError):
            raise _unavailable() from None
        if info.get("sub") != claims["sub"]:  # OIDC Core 5.3.2: userinfo of another person is ignored
            raise SsoFailed("sso_userinfo_mismatch", f"{provider_name()}的用户信息与身份令牌不是同一人", 400)
        claims = {**info, **claims}  # the signed ID token wins (amr, acr)
    value = claims.get(match)
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise SsoFailed("sso_no_identity", f"{provider_name()}未提供用于匹配账号的声明 {match}", 400)
    return SsoIdentity(value=str(value).strip(), subject=str(claims["sub"]), factors=factors_for(claims),
                       claims=claims)


def factors_for(claims: dict) -> tuple[str, ...]:
    """``("oidc", "idp-mfa")`` when the platform asserted a second factor: one of its ``amr`` values is listed in
    ``OIDC_MFA_AMR``, or its ``acr`` is listed in ``OIDC_MFA_ACR``; else ``("oidc",)`` and TOTP is still asked."""
    amr = claims.get("amr") or []
    amr = {amr} if isinstance(amr, str) else {str(v) for v in amr if isinstance(v, (str, int))}
    acr = claims.get("acr")
    second = bool(amr & _words(current_app.config.get("OIDC_MFA_AMR", ""))) or (
        isinstance(acr, str) and acr in _words(current_app.config.get("OIDC_MFA_ACR", "")))
    return (FACTOR_OIDC, FACTOR_IDP_MFA) if second else (FACTOR_OIDC,)
