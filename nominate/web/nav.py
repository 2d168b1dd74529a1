"""The main navigation: which pages each role sees (the pages themselves check permissions again)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_login import current_user

NOMINATORS = {"city_bureau", "provincial_unit"}
SIGNERS = {"signer_discipline", "signer_personnel", "signer_police"}

#: (roles, endpoint, label)
NAV = [
    (None, "web.home", "工作台"),
    (NOMINATORS, "batches.dashboard", "本单位推荐"),
    (NOMINATORS | {"province_office", "ministry", "admin"}, "nominations.index", "推荐对象"),
    ({"province_office"}, "office.batches", "各市报送"),
    ({"province_office"}, "office.board", "差额评选"),
    ({"province_office", "ministry"}, "publicity.index", "公示与异议"),
    (SIGNERS, "opinions.inbox", "待签意见"),
    ({"province_office"}, "opinions.overview", "征求意见"),
    ({"province_office", "city_bureau", "provincial_unit", "admin"}, "honours.index", "荣誉库"),
    ({"city_bureau", "provincial_unit", "province_office"}, "organisations.contacts", "联系信息"),
    (None, "office.timeline", "评选日程"),
    ({"admin"}, "campaigns.admin_index", "评选活动"),
    ({"admin"}, "formtemplates.index", "表格模板"),
    ({"admin"}, "accounts.users", "用户与单位"),
    ({"admin"}, "workdays.calendar", "工作日历"),
    ({"admin", "signer_discipline"}, "audit.search", "审计查询"),
    ({"admin"}, "notifications.jobs", "后台任务"),
]


@dataclass
class NavItem:
    label: str
    url: str
    active: bool


def nav_items() -> list[NavItem]:
    role = current_user.role.value
    # each role's (label, url, endpoint) built once per application and script root, not on every page
    built = current_app.extensions.setdefault("nominate.nav", {})
    key = (role, request.script_root)
    if key not in built:
        built[key] = [(label, url_for(endpoint), endpoint) for roles, endpoint, label in NAV
                      if (roles is None or role in roles) and endpoint in current_app.view_functions]
    return [NavItem(label, url, request.endpoint == endpoint) for label, url, endpoint in built[key]]
