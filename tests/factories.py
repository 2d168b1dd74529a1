"""Factories for tests: users per role, valid windows and individuals, and a walker through the workflow."""
from __future__ import annotations

import datetime as dt

import pytest

from nominate.accounts.operations import create_user, issue_token
from nominate.campaigns.loader import load_campaign
from nominate.core.errors import DomainError
from nominate.nominations import operations as nops
from nominate.nominations.models import Nomination
from nominate.nominations.validation import id_check_digit
from nominate.organisations.models import Organisation


def make_id_number(birth: str = "19850312", seq: int = 123, region: str = "140105") -> str:
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + id_check_digit(first17)


def window_data(**over) -> dict:
    data = {
        "window_name": "小店区人力资源和社会保障局社保经办大厅",
        "window_category": "social_insurance",
        "window_level": "county",
        "parent_unit_name": "太原市小店区人力资源和社会保障局",
        "leader_name": "李卫东",
        "leader_position": "小店区社保中心主任",
        "leader_phone": "13934561234",
        "unit_nature": "public_institution",
        "admin_rank": "正科级",
        "clean_record_attested_by": "小店区人社局党组",
        "clean_record_attested_on": "2021-07-20",
        "main_deeds": "该窗口坚持以人民为中心，推行“一窗通办”。" * 20,
        "brief_deeds": "推行“一窗通办”，群众满意率99%。",
    }
    data.update(over)
    return data


def individual_data(**over) -> dict:
    data = {
        "person_name": "张晓梅",
        "id_number": make_id_number("19850312", 124),
        "ethnicity": "汉族",
        "political_status": "中共党员",
        "education": "大学本科 管理学学士",
        "work_unit": "山西省太原市小店区社会保险经办窗口",
        "position": "窗口科员",
        "professional_title": "经济师",
        "unit_nature": "public_institution",
        "admin_rank": "科员",
        "work_start": "2008-07-01",
        "system_start": "2010-03-01",
        "window_start": "2012-05-01",
        "phone": "13812345678",
        "main_deeds": "扎根窗口一线十余年，累计服务群众五万余人次。" * 30,
        "brief_deeds": "扎根窗口一线十余年，服务群众五万余人次，零差评。",
    }
    data.update(over)
    return data


class Factory:
    def __init__(self, db, clock, campaign_path):
        self.db, self.clock = db, clock
        self.campaign = load_campaign(campaign_path)
        db.session.commit()
        self._users = {}
        # The usual actors exist up front, so a refused call creates nothing by itself.
        for code in ("taiyuan", "datong"):
            self.city(code)
            self.user("signer_discipline", code)
            self.user("signer_personnel", code)
        self.office, self.ministry, self.user("signer_police", "shanxi")

    def org(self, code) -> Organisation:
        return self.db.session.scalar(self.db.select(Organisation).filter_by(code=code))

    def user(self, role: str, org_code: str, name: str | None = None, id_number: str | None = None):
        key = (role, org_code, name)
        if key not in self._users:
            username = name or f"{role}-{org_code}"
            self._users[key] = create_user(None, username=username, password="Secret-pass-1", role=role,
                                           organisation=self.org(org_code), display_name=username,
                                           id_number=id_number)
            self.db.session.commit()
        return self._users[key]

    def token(self, user) -> str:
        t = issue_token(None, user)
        self.db.session.commit()
        return t

    # Shortcuts for the usual actors
    def city(self, code="taiyuan"):
        return self.user("city_bureau", code)

    @property
    def office(self):
        return self.user("province_office", "shanxi")

    @property
    def ministry(self):
        return self.user("ministry", "mohrss")

    def window(self, city="taiyuan", **over) -> Nomination:
        nom = nops.create_nomination(self.campaign, self.city(city), "window", window_data(**over))
        self.db.session.commit()
        return nom

    def individual(self, city="taiyuan", **over) -> Nomination:
        nom = nops.create_nomination(self.campaign, self.city(city), "individual", individual_data(**over))
        self.db.session.commit()
        return nom

    def provincial_unit(self, code="shanxi-talent-center"):
        org = self.org(code)
        if org is None:
            group = self.org("shanxi-shengzhi")
            org = Organisation(code=code, name="山西省人才交流服务中心", short_name="省人才中心",
                               kind="provincial_unit", parent=group)
            self.db.session.add(org)
            self.db.session.commit()
        return self.user("provincial_unit", code)

    def photo(self, nom, size=(350, 490), color=(30, 90, 200)):
        import io

        from PIL import Image

        buf = io.BytesIO()
        Image.new("RGB", size, color).save(buf, "PNG")
        nops.upload_photo(nom, self.city(nom.owner_org.code) if nom.owner_org.kind.value == "city"
                          else self.user("provincial_unit", nom.owner_org.code), buf.getvalue(), 5 * 1024 * 1024)
        self.db.session.commit()

    def date(self, iso: str) -> dt.date:
        return dt.date.fromisoformat(iso)


def snapshot(db):
    """Row counts of every table plus every nomination's (state, version): "nothing changed" checks."""
    from nominate.extensions import db as _db

    counts = {t.name: db.session.execute(_db.select(_db.func.count()).select_from(t)).scalar()
              for t in _db.metadata.sorted_tables}
    noms = db.session.execute(_db.select(Nomination.id, Nomination.state, Nomination.version)).all()
    return counts, sorted(noms)


def refused(db, fn, code):
    """Run ``fn``; it must raise ``code`` and leave every table as it was."""
    db.session.commit()
    before = snapshot(db)
    with pytest.raises(DomainError) as exc:
        fn()
    db.session.rollback()
    assert exc.value.code == code, exc.value.message
    assert exc.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)
    assert snapshot(db) == before
    return exc.value


def usernames_released(db, *users) -> list[str]:
    """The users' names, then the test's read transaction ended (SQLite: a second app needs the write lock)."""
    names = [u.username for u in users]
    db.session.rollback()
    return names
