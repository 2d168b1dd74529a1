"""A national-scale data set for load tests: 31 provinces, their prefecture-level cities, nominations in
every state with their opinions, publicity periods, objections and audit trail.

Rows are bulk-inserted (not made through the operations) so the data set loads in a minute, but every
nomination walks a real path of the workflow (the shortest path from ``initial`` to its target state,
found in workflows/nomination.yaml), and its milestones, batch, publicity entries, opinions and audit rows
are the ones the operations would have written along that path. Shanxi is the real campaign file in
workflows/campaigns/; the other 30 provinces get campaigns generated as data. Deterministic from a seed.
"""
from __future__ import annotations

import copy
import datetime as dt
import random
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from nominate.accounts.models import User
from nominate.audit.models import AuditEvent
from nominate.batches.models import CityBatch
from nominate.campaigns.loader import load_campaign
from nominate.campaigns.models import Campaign, CampaignDeadline
from nominate.core import clock
from nominate.extensions import db
from nominate.nominations.models import Nomination
from nominate.nominations.validation import id_check_digit
from nominate.opinions.models import Opinion
from nominate.organisations.models import Organisation
from nominate.publicity.models import Objection, PublicityEntry, PublicityPeriod
from nominate.workflow.machine import get_workflow

SHANXI_FILE = Path(__file__).resolve().parents[2] / "workflows" / "campaigns" / "shanxi-2021.yaml"
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
PUBLICITY_END = {"2021-08-02": "2021-08-06", "2021-09-13": "2021-09-17", "2021-10-11": "2021-10-15"}
START_LEVEL = {"start_unit_publicity": "unit", "start_province_publicity": "province",
               "start_national_publicity": "national"}
FINISH_LEVEL = {"finish_unit_publicity": "unit", "finish_province_publicity": "province",
                "finish_national_publicity": "national", "disqualify": None}
LEVEL_STATE = {"unit": "unit_publicity", "province": "province_publicity", "national": "national_publicity"}
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


@dataclass
class _Rows:
    tables: dict = field(default_factory=dict)
    next_id: dict = field(default_factory=dict)

    def add(self, model, **values) -> int:
        table = model.__table__
        if table.name not in self.next_id:
            self.next_id[table.name] = (db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1
            self.tables[table.name] = (table, [])
        values["id"] = self.next_id[table.name]
        self.next_id[table.name] += 1
        self.tables[table.name][1].append(values)
        return values["id"]

    def count(self, model) -> int:
        return len(self.tables.get(model.__table__.name, (None, []))[1])


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


def _at(day: str, rnd: random.Random) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=9 + rnd.randrange(8), minute=rnd.randrange(60),
                                                  tzinfo=clock.SHANGHAI)


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
        self.rows = _Rows()
        self.workflow = get_workflow("nomination")
        self.paths = paths_from(self.workflow)
        self.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        self.users: dict[tuple[str, int], dict] = {}
        self.ministry_id: int | None = None

    # -- organisations, users, campaigns -------------------------------------------------------------
    def user(self, role: str, org_id: int, org_code: str, display: str) -> dict:
        key = (role, org_id)
        if key not in self.users:
            uid = self.rows.add(User, username=f"{org_code}-{role}", display_name=display,
                                password_hash=self.password_hash, role=role, organisation_id=org_id, active=True,
                                created_at=clock.now())
            self.users[key] = {"id": uid, "role": role, "org_id": org_id, "name": display}
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
        rows, rnd = self.rows, self.rnd
        province = campaign.province
        office = self.user("province_office", province.id, province.code, f"{province.short_name}推荐评选办")
        police = self.user("signer_police", province.id, province.code, f"{province.short_name}公安厅")
        ministry = self.users[("ministry", self.ministry_id)]
        periods: dict[tuple, dict] = {}  # (level, start) → period row (province and national are shared)
        cities = [o for o in province.children if o.kind.value == "city"]
        selected = {"window": 0, "individual": 0}
        for ci, city in enumerate(cities):
            owner = self.user("city_bureau", city.id, city.code, f"{city.short_name}人社局")
            signers = {"discipline": self.user("signer_discipline", city.id, city.code, f"{city.short_name}纪委监委"),
                       "personnel": self.user("signer_personnel", city.id, city.code, f"{city.short_name}委组织部"),
                       "police": police}
            targets = self.plan_city(campaign)
            kinds = self._kinds(targets, campaign.rules.city_quota("x"))
            for i, (target, kind) in enumerate(zip(targets, kinds)):
                if "select" in [t.event for t in self.paths[target]]:
                    if selected[kind] >= campaign.rules.province_quota.for_kind(kind):
                        targets[i] = "not_selected"
                    else:
                        selected[kind] += 1
            batch_id = None
            rank = 0
            for ni, (target, kind) in enumerate(zip(targets, kinds)):
                path = self.paths[target]
                events = [t.event for t in path]
                if "recommend" in events and batch_id is None:
                    batch_id = rows.add(CityBatch, campaign_id=campaign.id, organisation_id=city.id, state="draft",
                                        report_text=f"{city.short_name}推荐工作经局党组研究决定……", version=1)
                fields = self._fields(campaign, province, city, ci, ni, kind)
                nom = {"campaign_id": campaign.id, "kind": kind, "state": target, "owner_org_id": city.id,
                       "cadre_authority_org_id": city.id, "version": 1 + len(path), **fields,
                       "created_at": _at("2021-07-20", rnd), "updated_at": _at("2021-07-20", rnd),
                       "created_by_id": owner["id"]}
                if "recommend" in events:
                    rank += 1
                    nom.update(batch_id=batch_id, rank=rank, recommended_at=_at(EVENT_DATES["recommend"], rnd))
                if "select" in events:
                    nom["selected_at"] = _at(EVENT_DATES["select"], rnd)
                if "start_province_publicity" in events:
                    nom["formal_submitted_at"] = _at("2021-09-12", rnd)
                nid = rows.add(Nomination, **nom)
                self._trail(campaign, nid, kind, path, owner, office, ministry, signers, periods, city, target)
            if batch_id is not None:
                self._settle_batch(batch_id, targets, owner)
        for period in periods.values():
            if period.pop("_open"):
                period["status"] = "open"
            period.pop("_nid")

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

    def _fields(self, campaign, province, city, ci, ni, kind) -> dict:
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
        first17 = f"{11 + PROVINCE_INDEX.get(province.code, 0):02d}{ci + 1:02d}01{birth:%Y%m%d}{ni:03d}"
        return {"person_name": rnd.choice("张王李赵刘陈杨黄周吴") + rnd.choice(["晓梅", "建军", "丽娟", "志刚", "海燕", "浩", "敏"]),
                "gender": rnd.choice(["male", "female"]), "ethnicity": "汉族", "political_status": "中共党员",
                "education": "大学本科", "id_number": first17 + id_check_digit(first17), "birth_date": birth,
                "work_unit": f"{city.short_name}社会保险经办窗口", "position": "窗口科员", "professional_title": "经济师",
                "unit_nature": "civil_service_managed", "admin_rank": "科员", "work_start": dt.date(2008, 7, 1),
                "system_start": dt.date(2010, 3, 1), "window_start": dt.date(2012, 5, 1),
                "phone": f"138{rnd.randrange(10 ** 8):08d}",
                "main_deeds": "扎根窗口一线十余年，累计服务群众五万余人次。" * 30,
                "brief_deeds": "扎根窗口一线十余年，服务群众五万余人次，零差评。"}

    def _trail(self, campaign, nid, kind, path, owner, office, ministry, signers, periods, city, target) -> None:
        """Audit rows, publicity entries, opinions and objections along the nomination's path."""
        rows, rnd = self.rows, self.rnd
        audit = dict(campaign_id=campaign.id, nomination_id=nid, object_type="nomination", object_id=nid)

        def record(actor, action, day, **extra):
            rows.add(AuditEvent, at=_at(day, rnd), actor_id=actor["id"], actor_name=actor["name"],
                     actor_role=actor["role"], actor_org_id=actor["org_id"], action=action,
                     **{**audit, **extra})

        record(owner, "create", "2021-07-20", to_state="draft")
        for _ in range(rnd.randint(0, 2 * self.sizes.updates_per_nomination)):
            record(owner, "update", "2021-07-25", data={"changed": ["main_deeds"]})
        state = self.workflow.initial
        for t in path:
            actor = owner if owner["role"] in t.roles else office
            day = EVENT_DATES[t.event]
            data = None
            if t.event in START_LEVEL:
                level = START_LEVEL[t.event]
                period = self._period(campaign, level, day, city, office, ministry, periods, nid)
                rows.add(PublicityEntry, period_id=period["id"], nomination_id=nid)
                data = {"publicity": {"level": level, "start": day, "end": PUBLICITY_END[day]}}
                if LEVEL_STATE[level] == target:
                    period["_open"] = True
                    if rnd.random() < 0.05:
                        self._objection(period, nid, office, "open", campaign, record)
            if t.event == "start_province_publicity" and kind == "individual":
                self._opinions(nid, signers, office, record, signed=True)
            if t.event == "ministry_confirm" and kind == "individual" and target == "formal_materials":
                self._opinions(nid, signers, office, record, signed=rnd.random() < 0.5)
            if t.event == "disqualify":
                period = periods[("unit", nid)]
                self._objection(period, nid, owner, "upheld", campaign, record)
            record(actor, t.event, day, from_state=state, to_state=t.dest, data=data,
                   comment="经研究" if "comment_required" in dict(t.guards) else None)
            state = t.dest

    def _period(self, campaign, level, day, city, office, ministry, periods, nid) -> dict:
        """Unit publicity: one per nominee (as start_unit_publicity opens it); province and national: shared."""
        key = (level, day) if level != "unit" else (level, nid)
        if key not in periods:
            org_id = {"unit": city.id, "province": campaign.province_id, "national": self.ministry_id}[level]
            self.rows.add(PublicityPeriod, campaign_id=campaign.id, level=level, organisation_id=org_id,
                                start_date=dt.date.fromisoformat(day), end_date=dt.date.fromisoformat(PUBLICITY_END[day]),
                                working_days=5, status="closed",
                                created_by_id=(office if level != "unit" else self.users[("city_bureau", city.id)])["id"],
                                created_at=_at(day, self.rnd))
            periods[key] = self.rows.tables["publicity_periods"][1][-1]
            periods[key].update(_open=False, _nid=nid)
        return periods[key]

    def _objection(self, period, nid, actor, status, campaign, record) -> None:
        start = period["start_date"]
        oid = self.rows.add(Objection, period_id=period["id"], nomination_id=nid, objector_name="群众",
                            objector_contact="电话", received_on=start + dt.timedelta(days=2),
                            content="反映该推荐对象服务态度问题。", status=status,
                            investigation="经核查属实" if status == "upheld" else None,
                            recorded_by_id=actor["id"], recorded_at=_at(start.isoformat(), self.rnd),
                            resolved_by_id=actor["id"] if status != "open" else None,
                            resolved_at=_at(start.isoformat(), self.rnd) if status != "open" else None)
        record(actor, "objection_recorded", start.isoformat(), object_type="objection", object_id=oid)
        if status != "open":
            record(actor, f"objection_{status}", start.isoformat(), object_type="objection", object_id=oid)

    def _opinions(self, nid, signers, office, record, *, signed: bool) -> None:
        for slot in ("discipline", "personnel", "police"):
            signer = signers[slot]
            values = dict(nomination_id=nid, slot=slot, requested_at=_at("2021-09-10", self.rnd),
                          requested_by_id=office["id"], status="pending")
            if signed:
                values.update(status="signed", verdict="agree", text="同意推荐", signer_name=signer["name"][:20],
                              signed_on=dt.date(2021, 9, 11), signed_by_id=signer["id"])
            oid = self.rows.add(Opinion, **values)
            if slot == "police":
                record(office, "police_opinion_requested", "2021-09-10")
            if signed:
                record(signer, "opinion_signed", "2021-09-11", object_type="opinion", object_id=oid)

    def _settle_batch(self, batch_id, targets, owner) -> None:
        batch = next(b for b in self.rows.tables["city_batches"][1] if b["id"] == batch_id)
        late = [t for t in targets if t in LATE_STATES]
        if "city_recommended" in late:
            batch["state"] = "draft"
            return
        batch.update(submitted_at=_at(EVENT_DATES["submit_to_province"], self.rnd), submitted_by_id=owner["id"])
        if "returned" in late:
            batch["state"] = "returned"
        elif "province_review" in late:
            batch["state"] = "submitted"
        else:
            batch["state"] = "accepted"

    # -- writing -------------------------------------------------------------------------------------
    def insert_all(self) -> dict[str, int]:
        order = [User.__table__, CityBatch.__table__, Nomination.__table__, PublicityPeriod.__table__,
                 PublicityEntry.__table__, Objection.__table__, Opinion.__table__, AuditEvent.__table__]
        counts = {}
        for table in order:
            if table.name not in self.rows.tables:
                continue
            _, values = self.rows.tables[table.name]
            keys = set().union(*values)
            values = [{k: row.get(k) for k in keys} for row in values]
            for i in range(0, len(values), 5000):
                db.session.execute(sa.insert(table), values[i:i + 5000])
            counts[table.name] = len(values)
        if db.session.get_bind().dialect.name == "postgresql":
            for table in db.metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement:
                    db.session.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"))
        return counts


PROVINCE_INDEX = {code: i for i, (code, _, _) in enumerate(PROVINCES_2021)}


def generate_national(seed: int = 1, sizes: Sizes | None = None, progress=None) -> dict[str, int]:
    """Fill an empty database with the national data set; returns the row count per table.

    ``progress`` wraps the list of provinces (e.g. click.progressbar's iterator)."""
    sizes = sizes or Sizes()
    provinces = [p for p in PROVINCES_2021 if p[0] == "shanxi"] + \
        [p for p in PROVINCES_2021 if p[0] != "shanxi"][:max(0, sizes.provinces - 1)]
    builder = NationalBuilder(seed, sizes)
    shanxi = builder.campaign("shanxi", "山西省", 11)
    builder.ministry_id = shanxi.province.parent_id
    builder.user("ministry", builder.ministry_id, "mohrss", "人社部评比表彰工作领导小组")
    builder.user("admin", builder.ministry_id, "mohrss", "系统管理员")
    for code, name, n in (progress(provinces) if progress else provinces):
        campaign = builder.campaign(code, name, n)
        builder.build_province(campaign)
    counts = builder.insert_all()
    counts["organisations"] = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    counts["campaigns"] = db.session.scalar(sa.select(sa.func.count()).select_from(Campaign))
    return counts


def benchmark_pages() -> dict[str, tuple[str | None, str]]:
    """The main pages as (username or None for the API token of the Shanxi office, URL): what the load
    benchmark drives and the statement-count test counts, on any size of the national data set."""
    campaign = db.session.scalar(sa.select(Campaign).filter_by(key="shanxi-2021"))
    # an individual with the whole trail (publicities, opinions, dozens of audit rows), else any nominee
    nom = db.session.scalars(sa.select(Nomination).where(Nomination.campaign_id == campaign.id)
                             .order_by(Nomination.state != "awarded", Nomination.kind, Nomination.id)).first()
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


def page_statement_counts(client, token: str) -> dict[str, int]:
    """SQL statements each page of ``benchmark_pages`` executes (Flask test client, logged in by session)."""
    from flask import g

    from nominate.core.db import StatementCounter

    pages = benchmark_pages()
    users = dict(db.session.execute(sa.select(User.username, User.id).where(
        User.username.in_({u for u, _ in pages.values() if u}))).all())
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
                s["_user_id"], s["_fresh"] = str(users[username]), True
        with StatementCounter(db.engine) as counter:
            resp = client.get(url, headers=headers)
        if resp.status_code != 200:
            raise AssertionError(f"{name}: {url} answered {resp.status_code}")
        counts[name] = counter.count
    db.session.remove()
    return counts
