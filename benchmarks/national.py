"""A national-scale data set for load tests: 31 provinces, their prefecture-level cities, nominations in
every state with their opinions, publicity periods, objections and audit trail.

Every nomination is made and moved by the real operations: created and edited through
nominations.operations, walked along the shortest path of the workflow file to its target state by
the workflow's walker (nominate/procedure/walker.py), so the rows (batches, publicity periods, opinions,
audit trail) are exactly the ones the effects write, and nothing here drifts when an effect changes. The
provinces advance stage by stage (one city batch submitted at once, one provincial and one national 公示
per province listing all its nominees). Shanxi is the real campaign file in workflows/campaigns/; the
other 30 provinces get campaigns generated as data. Deterministic from a seed.

    .venv/bin/python benchmarks/national.py sqlite:////tmp/national.db --seed 1    # or a PostgreSQL URL
"""
from __future__ import annotations

import copy
import datetime as dt
import random
import sys
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from stdnum import numdb
from werkzeug.security import generate_password_hash

from nominate.accounts.models import Role, User
from nominate.campaigns.loader import load_campaign
from nominate.campaigns.models import Campaign, CampaignDeadline
from nominate.core import clock
from nominate.extensions import db
from nominate.nominations import operations as nops
from nominate.nominations.models import Nomination
from nominate.nominations.validation import id_check_digit
from nominate.organisations.models import Organisation
from nominate.publicity import operations as pops
from nominate.workflow.machine import get_workflow
from nominate.procedure.walker import Walker

SHANXI_FILE = Path(__file__).resolve().parents[1] / "workflows" / "campaigns" / "shanxi-2021.yaml"
PASSWORD = "Sx-Pingxuan-2021"
TODAY = dt.date(2021, 10, 20)

# 2021 provincial-level divisions and their prefecture-level divisions (地级市、地区、自治州、盟);
# a 直辖市 has none, so it nominates as one unit of its own.
PROVINCES_2021 = [
    ("beijing", "北京市", 1), ("tianjin", "天津市", 1), ("hebei", "河北省", 11), ("shanxi", "山西省", 11),
    ("neimenggu", "内蒙古自治区", 12), ("liaoning", "辽宁省", 14), ("jilin", "吉林省", 9),
    ("heilongjiang", "黑龙江省", 13), ("shanghai", "上海市", 1), ("jiangsu", "江苏省", 13),
    ("zhejiang", "浙江省", 11), ("anhui", "安徽省", 16), ("fujian", "福建省", 9), ("jiangxi", "江西省", 11),
    ("shandong", "山东省", 16), ("henan", "河南省", 17), ("hubei", "湖北省", 13), ("hunan", "湖南省", 14),
    ("guangdong", "广东省", 21), ("guangxi", "广西壮族自治区", 14), ("hainan", "海南省", 4),
    ("chongqing", "重庆市", 1), ("sichuan", "四川省", 21), ("guizhou", "贵州省", 9), ("yunnan", "云南省", 16),
    ("xizang", "西藏自治区", 7), ("shaanxi", "陕西省", 10), ("gansu", "甘肃省", 14), ("qinghai", "青海省", 8),
    ("ningxia", "宁夏回族自治区", 5), ("xinjiang", "新疆维吾尔自治区", 14),
]
NUMERALS = "一二三四五六七八九十"
ROLE_NAMES = {"city_bureau": "人社局", "province_office": "推荐评选办", "signer_discipline": "纪委监委",
              "signer_personnel": "委组织部", "signer_police": "公安厅", "ministry": "评比表彰工作领导小组",
              "admin": "系统管理员"}

# The date each event happened on (the demo's calendar of the 2021 round).
EVENT_DATES = {
    "start_unit_publicity": "2021-08-02", "withdraw": "2021-08-04", "disqualify": "2021-08-06",
    "finish_unit_publicity": "2021-08-09", "recommend": "2021-08-10", "submit_to_province": "2021-08-20",
    "return_to_city": "2021-08-24", "resubmit": "2021-08-27", "select": "2021-08-25", "reject": "2021-08-25",
    "report_to_ministry": "2021-08-26", "ministry_confirm": "2021-09-10", "ministry_decline": "2021-09-10",
    "start_province_publicity": "2021-09-13", "finish_province_publicity": "2021-09-22",
    "submit_to_ministry": "2021-09-23", "start_national_publicity": "2021-10-11", "ministry_reject": "2021-10-08",
    "finish_national_publicity": "2021-10-18", "revoke": "2021-10-19",
}
# How a city's nominations spread over the states (weights); the recommended ones stay within quota.
EARLY_STATES = {"draft": 3, "unit_publicity": 2, "city_review": 2, "withdrawn": 1, "disqualified": 0.3}
LATE_STATES = {"city_recommended": 1, "province_review": 2, "returned": 1, "not_selected": 2,
               "province_selected": 1, "ministry_preliminary": 1, "ministry_rejected": 0.5, "formal_materials": 2,
               "province_publicity": 1.5, "province_publicized": 1, "submitted_to_ministry": 1,
               "national_publicity": 1, "awarded": 3, "revoked": 0.2}


@dataclass
class Sizes:
    provinces: int = 31            # the first N of PROVINCES_2021 (Shanxi always included)
    per_city: int = 9              # nominations per nominating organisation
    updates_per_nomination: int = 30  # "update" audit rows (edits while a draft), on average


def paths_from(workflow) -> dict[str, list]:
    """The shortest path of transitions from the initial state to every state (breadth first)."""
    paths = {workflow.initial: []}
    queue = deque([workflow.initial])
    while queue:
        state = queue.popleft()
        for t in workflow.transitions.values():
            if state in t.sources and t.dest not in paths:
                paths[t.dest] = paths[state] + [t]
                queue.append(t.dest)
    return paths


def _campaign_config(base: dict, code: str, name: str, cities: list[dict]) -> dict:
    config = copy.deepcopy(base)
    n = len(cities)
    short = name
    config.update({
        "key": f"{code}-2021", "notice": f"{short}人社厅函〔2021〕1号",
        "title": base["title"].replace("山西省", short),
        "province": {"code": code, "name": f"{short}人力资源和社会保障厅", "short_name": short,
                     "office": f"全国人社系统优质服务窗口和优质服务先进个人{short}推荐评选工作领导小组办公室",
                     "contact_name": "联络员", "contact_phone": "010-12345678", "address": f"{short}人社厅"},
        "cities": cities,
        "provincial_group": {"code": f"{code}-shengzhi", "short_name": "省直", "name": f"{short}人社厅机关各处室（局）、直属单位"},
    })
    config["quotas"] = {**base["quotas"], "province": {"window": n + 1, "individual": n},
                        "per_city": {"window": 2, "individual": 2, "grassroots_window_min": 1}}
    return config


class NationalBuilder:
    def __init__(self, seed: int, sizes: Sizes):
        self.rnd = random.Random(seed)
        self.sizes = sizes
        self.workflow = get_workflow("nomination")
        self.paths = paths_from(self.workflow)
        self.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        self.users: dict[tuple[str, str], User] = {}
        self.walker = Walker(self.user, self.set_today, db.session.flush)

    # -- organisations, users, campaigns -------------------------------------------------------------
    @staticmethod
    def set_today(iso: str) -> None:
        from flask import current_app

        current_app.config["NOMINATE_TODAY"] = iso

    def user(self, role: str, org_code: str) -> User:
        """The account ``<org code>-<role>`` (made the first time it is needed)."""
        key = (role, org_code)
        if key not in self.users:
            username = f"{org_code}-{role}"
            user = db.session.scalar(sa.select(User).filter_by(username=username))
            if user is None:
                org = db.session.scalar(sa.select(Organisation).filter_by(code=org_code))
                user = User(username=username, display_name=f"{org.short_name}{ROLE_NAMES[role]}",
                            password_hash=self.password_hash, role=Role(role), organisation_id=org.id, active=True)
                db.session.add(user)
                db.session.flush()
            self.users[key] = user
        return self.users[key]

    def campaign(self, code: str, name: str, n_cities: int) -> Campaign:
        """Shanxi from its file; any other province generated as data (organisations, campaign, deadlines)."""
        if code == "shanxi":
            return db.session.scalar(sa.select(Campaign).filter_by(key="shanxi-2021")) or load_campaign(SHANXI_FILE)
        base = db.session.scalar(sa.select(Campaign).filter_by(key="shanxi-2021")).config
        cities = [{"code": f"{code}-{i:02d}", "short_name": self._city_name(name, i),
                   "name": f"{self._city_name(name, i)}人力资源和社会保障局"} for i in range(1, n_cities + 1)]
        if n_cities == 1:  # a 直辖市 nominates as itself
            cities = [{"code": f"{code}-01", "short_name": f"{name}本级", "name": f"{name}人力资源和社会保障局"}]
        config = _campaign_config(base, code, name, cities)
        ministry = db.session.scalar(sa.select(Organisation).filter_by(code="mohrss"))
        province = Organisation(code=code, name=config["province"]["name"], short_name=name, kind="province",
                                parent_id=ministry.id, sort_order=0, contact_name="联络员",
                                contact_phone="010-12345678", address=f"{name}人社厅")
        db.session.add(province)
        db.session.flush()
        for i, c in enumerate(cities, start=1):
            db.session.add(Organisation(code=c["code"], name=c["name"], short_name=c["short_name"], kind="city",
                                        parent_id=province.id, sort_order=i))
        g = config["provincial_group"]
        db.session.add(Organisation(code=g["code"], name=g["name"], short_name=g["short_name"],
                                    kind="provincial_group", parent_id=province.id, sort_order=100))
        campaign = Campaign(key=config["key"], title=config["title"], period_label=config["period_label"],
                            year=2021, workflow="nomination", province_id=province.id, config=config,
                            source_sha256="generated")
        campaign.deadlines = [CampaignDeadline(key=d["key"], label=d["label"], sort_order=i,
                                               due_date=dt.date.fromisoformat(str(d["date"])) if d.get("date") else None)
                              for i, d in enumerate(config["deadlines"])]
        db.session.add(campaign)
        db.session.flush()
        return campaign

    def _city_name(self, province: str, i: int) -> str:
        stem = province[:2]
        return f"{stem}{NUMERALS[(i - 1) % 10]}{'' if i <= 10 else NUMERALS[(i - 1) // 10 - 1]}市"

    # -- nominations along their paths ----------------------------------------------------------------
    def plan_city(self, campaign: Campaign) -> list[str]:
        """Target states for one city: early states freely, recommended ones within the city quota."""
        per_city = campaign.rules.city_quota("x")
        late_max = (per_city.window or 0) + (per_city.individual or 0)
        n_late = min(late_max, max(0, self.sizes.per_city - 2), self.rnd.randint(1, late_max))
        early = self.rnd.choices(list(EARLY_STATES), weights=list(EARLY_STATES.values()), k=self.sizes.per_city - n_late)
        late = self.rnd.choices(list(LATE_STATES), weights=list(LATE_STATES.values()), k=n_late)
        return early + late

    def build_province(self, campaign: Campaign) -> None:
        """Create the province's nominations, then walk them to their targets stage by stage."""
        rnd, wf = self.rnd, self.workflow
        province = campaign.province
        cities = [o for o in province.children if o.kind.value == "city"]
        selection = wf.transitions["select"]
        selected = {"window": 0, "individual": 0}
        plan: list[tuple[Nomination, str]] = []
        self.set_today("2021-07-20")
        for ci, city in enumerate(cities):
            owner = self.user("city_bureau", city.code)
            targets = self.plan_city(campaign)
            kinds = self._kinds(targets, campaign.rules.city_quota("x"))
            for i, (target, kind) in enumerate(zip(targets, kinds)):
                if selection in self.paths[target]:
                    if selected[kind] >= campaign.rules.province_quota.for_kind(kind):
                        targets[i] = "not_selected"
                    else:
                        selected[kind] += 1
            for ni, (target, kind) in enumerate(zip(targets, kinds)):
                nom = nops.create_nomination(campaign, owner, kind, self._fields(province, city, ci, ni, kind))
                for _ in range(rnd.randint(0, 2 * self.sizes.updates_per_nomination)):
                    nops.update_nomination(nom, owner, {"brief_deeds": f"{nom.brief_deeds[:-1]}{rnd.randrange(10)}。"})
                plan.append((nom, target))
        self.walk(plan)
        for nom, target in plan:
            self._finish(nom, target)

    def walk(self, plan) -> None:
        """Advance every nomination one event at a time along its path, all the province's in step:
        each round fires the next event of every nomination, grouped (and dated) event by event."""
        wf = self.workflow
        submission = wf.event_tagged("batch_submission")
        routes = {nom.id: list(self.paths[target]) for nom, target in plan}
        noms = {nom.id: nom for nom, _ in plan}
        while any(routes.values()):
            groups: dict[str, list[Nomination]] = {}
            for nid, route in routes.items():
                if not route:
                    continue
                t = route[0]
                nom = noms[nid]
                # a nominee that stops where the batch is submitted from is recommended after its batch went
                if (len(route) == 1 and nom.state.value not in submission.sources and t.dest in submission.sources
                        and any(submission in routes[o] for o in routes if noms[o].owner_org_id == nom.owner_org_id
                                and o != nid)):
                    continue
                groups.setdefault(t.event, []).append(nom)
            for event in sorted(groups, key=lambda e: EVENT_DATES[e]):
                t, group = wf.transitions[event], groups[event]
                self.walker.set_today(EVENT_DATES[event])
                if submission is t:  # one submission per batch submits all its recommended nominees
                    for batch in {n.batch_id: n.batch for n in group}.values():
                        nominee = next(n for n in group if n.batch_id == batch.id)
                        self.walker.fire(nominee, t, EVENT_DATES[event])
                elif t.starts_publicity and t.listing:  # one 公示 per province listing all its nominees
                    for n in group:
                        self.walker.prepare_formal_materials(n)
                    self.set_today(EVENT_DATES[event])
                    pops.start_publicity(group, t.starts_publicity, self.walker.actor_for(group[0], t),
                                         EVENT_DATES[event])
                else:
                    for n in group:
                        self.walker.fire(n, t, EVENT_DATES[event])
                for n in group:
                    routes[n.id].pop(0)

    def _finish(self, nom, target) -> None:
        """Where the nominee stays: an open objection now and then in a running 公示; half the individuals
        in 正式材料 have their opinions signed."""
        level = self.workflow.publicity_level(target)
        if level and self.rnd.random() < 0.05:
            actor = self.walker.actor_for(nom, self.workflow.finishes_publicity(level))
            pops.record_objection(nom, actor, content="反映该推荐对象服务态度问题。", objector_name="群众")
        if (self.workflow.has_tag(target, "opinions_open") and not nom.is_window and self.rnd.random() < 0.5):
            self.walker.sign_all_opinions(nom)

    def _kinds(self, targets: list[str], quota) -> list[str]:
        """Windows and individuals; the recommended ones alternate within the city's quota of each kind."""
        slots = {"window": quota.window or 0, "individual": quota.individual or 0}
        kinds, turn = [], "window"
        for target in targets:
            if target in LATE_STATES:
                if not slots[turn]:
                    turn = "individual" if turn == "window" else "window"
                kinds.append(turn)
                slots[turn] -= 1
                turn = "individual" if turn == "window" else "window"
            else:
                kinds.append(self.rnd.choice(["window", "individual"]))
        return kinds

    def _fields(self, province, city, ci, ni, kind) -> dict:
        rnd = self.rnd
        if kind == "window":
            name = f"{city.short_name}第{ni + 1}社会保险经办窗口"
            return {"window_name": name, "window_category": rnd.choice(["social_insurance", "public_employment",
                                                                        "hotline_12333", "arbitration", "online"]),
                    "window_level": "county", "parent_unit_name": f"{city.short_name}人力资源和社会保障局",
                    "leader_name": rnd.choice(["李卫东", "王建华", "陈晓光", "杨帆"]), "leader_position": "主任",
                    "leader_phone": f"139{rnd.randrange(10 ** 8):08d}", "staff_count": rnd.randint(5, 40),
                    "address": f"{province.short_name}{city.short_name}", "unit_nature": "public_institution",
                    "admin_rank": "正科级", "clean_record_attested_by": f"{city.short_name}人社局党组",
                    "clean_record_attested_on": dt.date(2021, 7, 20),
                    "main_deeds": f"{name}坚持以人民为中心，推行“一窗通办”。" * 20,
                    "brief_deeds": "推行“一窗通办”，群众满意率99%。"}
        birth = dt.date(1975 + rnd.randrange(20), 1 + rnd.randrange(12), 1 + rnd.randrange(28))
        first17 = f"{county_code(province.code, ci)}{birth:%Y%m%d}{ni:03d}"
        return {"person_name": rnd.choice("张王李赵刘陈杨黄周吴") + rnd.choice(["晓梅", "建军", "丽娟", "志刚", "海燕", "浩", "敏"]),
                # the gender the 身份证号's 17th digit says
                "gender": "male" if ni % 2 else "female", "ethnicity": "汉族", "political_status": "中共党员",
                "education": "大学本科", "id_number": first17 + id_check_digit(first17), "birth_date": birth,
                "work_unit": f"{city.short_name}社会保险经办窗口", "position": "窗口科员", "professional_title": "经济师",
                "unit_nature": "civil_service_managed", "admin_rank": "科员", "work_start": dt.date(2008, 7, 1),
                "system_start": dt.date(2010, 3, 1), "window_start": dt.date(2012, 5, 1),
                "phone": f"138{rnd.randrange(10 ** 8):08d}",
                "main_deeds": "扎根窗口一线十余年，累计服务群众五万余人次。" * 30,
                "brief_deeds": "扎根窗口一线十余年，服务群众五万余人次，零差评。"}

#: GB/T 2260 code of each province (the first two digits of its people's 身份证号)
PROVINCE_CODES = dict(zip([code for code, _, _ in PROVINCES_2021], [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]))


@lru_cache(maxsize=None)
def _prefecture_counties(province_code: str) -> tuple[str, ...]:
    """One county code per prefecture of the province, from python-stdnum's table of administrative codes
    (the table the 身份证号 rule checks against)."""
    prefix = PROVINCE_CODES.get(province_code, "14")
    part = next(p for p in numdb.get("cn/loc").prefixes if p[1] == prefix)
    firsts: dict[str, str] = {}
    for _length, low, _high, _props, _children in sorted(part[4], key=lambda c: (c[1][:2], c[1].endswith("01"))):
        if not low.endswith("00"):  # a county, a district (区) rather than the 市辖区 placeholder where there is one
            firsts.setdefault(low[:2], prefix + low)
    return tuple(firsts[k] for k in sorted(firsts))


def county_code(province_code: str, city_index: int) -> str:
    """The first six digits of a 身份证号 issued in the province's ``city_index``-th prefecture."""
    counties = _prefecture_counties(province_code)
    return counties[city_index % len(counties)]


def generate_national(seed: int = 1, sizes: Sizes | None = None, progress=None) -> dict[str, int]:
    """Fill an empty database with the national data set; returns the row count per table.

    ``progress`` wraps the list of provinces (e.g. click.progressbar's iterator)."""
    sizes = sizes or Sizes()
    provinces = [p for p in PROVINCES_2021 if p[0] == "shanxi"] + \
        [p for p in PROVINCES_2021 if p[0] != "shanxi"][:max(0, sizes.provinces - 1)]
    from flask import current_app

    pinned = current_app.config.get("NOMINATE_TODAY")
    builder = NationalBuilder(seed, sizes)
    # One request context around the run, as a page has around its operations: the workflow file is
    # looked up once (request_memo) instead of once per call, and a notice's link is built without a
    # throw-away request context each. The operations are the same.
    with current_app.test_request_context():
        builder.campaign("shanxi", "山西省", 11)
        builder.user("ministry", "mohrss")
        builder.user("admin", "mohrss")
        try:
            for code, name, n in (progress(provinces) if progress else provinces):
                campaign = builder.campaign(code, name, n)
                builder.build_province(campaign)
                db.session.flush()
        finally:
            current_app.config["NOMINATE_TODAY"] = pinned
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def benchmark_pages() -> dict[str, tuple[str | None, str]]:
    """The main pages as (username or None for the API token of the Shanxi office, URL): what the load
    benchmark drives and the statement-count test counts, on any size of the national data set."""
    campaign = db.session.scalar(sa.select(Campaign).filter_by(key="shanxi-2021"))
    # an awarded window (the whole trail: three publicities, dozens of audit rows), else any nominee; windows
    # first, as every size of the data set has an awarded window
    nom = db.session.scalars(sa.select(Nomination).where(Nomination.campaign_id == campaign.id)
                             .order_by(Nomination.state != "awarded", Nomination.kind.desc(), Nomination.id)).first()
    office, city = "shanxi-province_office", "taiyuan-city_bureau"
    return {
        "selection board": (office, "/province/board"),
        "selection board by honours": (office, "/province/board?sort=honours"),
        "province batches": (office, "/province/batches"),
        "city dashboard": (city, "/batches/"),
        "nomination page": (office, f"/nominations/{nom.id}"),
        "home / to-do (office)": (office, "/"),
        "home / to-do (city)": (city, "/"),
        "nomination list": (office, "/nominations/"),
        "nomination list (city)": (city, "/nominations/"),
        "campaign timeline (office)": (office, "/timeline"),
        "publicity (office)": (office, "/publicity/"),
        "API list, filtered": (None, f"/api/v1/nominations?campaign_id={campaign.id}&kind=window&per_page=100"),
        "API list by state": (None, f"/api/v1/nominations?campaign_id={campaign.id}&state=city_review"),
    }


BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the benchmark's accounts only, like the demo's password


def enrol_for_benchmark(username: str) -> str | None:
    """Pre-enrol ``username`` with the benchmark's published TOTP secret when its role must use two factors."""
    from nominate.accounts.factors import must_use_two_factors
    from nominate.accounts.operations import pre_enrol_totp

    user = db.session.scalar(sa.select(User).filter_by(username=username))
    if not must_use_two_factors(user):
        return None
    if user.totp_secret != BENCH_TOTP_SECRET:
        pre_enrol_totp(None, user, BENCH_TOTP_SECRET)
        db.session.commit()
    return BENCH_TOTP_SECRET


def totp_code(secret: str, username: str) -> str:
    """The code of a time step the server has not yet accepted from ``username`` (each step works once)."""
    import time

    import pyotp

    totp = pyotp.TOTP(secret)
    while True:
        last = db.session.scalar(sa.select(User.totp_last_step).filter_by(username=username))
        db.session.commit()
        now = totp.timecode(time.time())
        for step in (now - 1, now, now + 1):
            if last is None or step > last:
                return totp.generate_otp(step)
        time.sleep(max(0.05, 30 - time.time() % 30))


def signed_in_session(client, username: str) -> dict:
    """Sign ``username`` in on the test client as a person does (password, then the TOTP code when its role
    must use two factors) and return the session."""
    from flask import g

    secret = enrol_for_benchmark(username)
    g.pop("_login_user", None)
    with client.session_transaction() as s:
        s.clear()
    resp = client.post("/login", data={"username": username, "password": PASSWORD})
    if resp.status_code != 302:
        raise AssertionError(f"login of {username} answered {resp.status_code}")
    if secret:
        g.pop("_login_user", None)
        resp = client.post("/login/two-factor", data={"code": totp_code(secret, username)})
        if resp.status_code != 302 or "/login" in resp.headers["Location"]:
            raise AssertionError(f"second factor of {username} refused")
    g.pop("_login_user", None)
    with client.session_transaction() as s:
        return dict(s)


#: page name -> statements run only when some rows needed them, in the last page_statement_counts
PREFETCHED: dict[str, int] = {}


def page_statement_counts(client, token: str) -> dict[str, int]:
    """SQL statements each page of ``benchmark_pages`` executes (Flask test client, logged in by session)."""
    from flask import g

    from nominate.core.db import StatementCounter

    pages = benchmark_pages()
    sessions = {u: signed_in_session(client, u) for u in {u for u, _ in pages.values() if u}}
    db.session.commit()
    counts = {}
    for name, (username, url) in pages.items():
        db.session.remove()
        g.pop("_login_user", None)
        headers = {}
        if username is None:
            headers["Authorization"] = f"Bearer {token}"
        else:
            with client.session_transaction() as s:
                s.clear()
                s.update(sessions[username])
        with StatementCounter(db.engine) as counter:
            resp = client.get(url, headers=headers)
        if resp.status_code != 200:
            raise AssertionError(f"{name}: {url} answered {resp.status_code}")
        # the statements a page runs only when some of its rows need them (core.db.only_when_needed) are not
        # counted: whether a row needs them depends on which states the data holds, not on its size; their own
        # number is checked apart (page_prefetch_counts)
        counts[name] = counter.count - counter.when_needed
        PREFETCHED[name] = counter.when_needed
    db.session.remove()
    return counts


def main(argv: list[str]) -> int:
    """``national.py DATABASE_URL [--seed N] [--provinces N] [--per-city N]``: fill an empty database
    (the schema is created) with the national data set and print the row counts and the time taken."""
    import argparse
    import time

    from nominate import create_app

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("url")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--provinces", type=int, default=31)
    parser.add_argument("--per-city", type=int, default=9)
    args = parser.parse_args(argv)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        if db.session.scalar(sa.select(sa.func.count()).select_from(Nomination)):
            print("数据库中已有推荐对象；请使用空数据库", file=sys.stderr)
            return 1
        start = time.perf_counter()
        counts = generate_national(args.seed, Sizes(provinces=args.provinces, per_city=args.per_city))
        db.session.commit()
        for table, n in counts.items():
            print(f"  {table:<20} {n:>8}")
        print(f"{time.perf_counter() - start:.1f} s; 登录：<单位代码>-<角色>（如 shanxi-province_office、taiyuan-city_bureau），"
              f"密码 {PASSWORD}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main(sys.argv[1:]))
