"""Build the demo: Shanxi 2021 with the 11 cities and 省直, nominations spread over the workflow.

The demo's clock stands at DEMO_TODAY (2021-10-20): national publicity is over for the first
awardees, one provincial publicity is running with an open objection, 吕梁 works under a
deadline extension, 临汾 missed the 初审 deadline. Every record is made through the real
operations, so the audit trail is complete.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from flask import current_app

from nominate.accounts.factors import must_use_two_factors
from nominate.accounts.models import User
from nominate.accounts.operations import create_user, pre_enrol_totp
from nominate.batches import operations as bops
from nominate.campaigns.loader import load_campaign
from nominate.demo.story import Story, iso, read_story
from nominate.extensions import db
from nominate.nominations import operations as nops
from nominate.nominations.validation import id_check_digit
from nominate.organisations.models import Organisation, OrgKind

STORY_FILE = Path(__file__).resolve().parents[2] / "workflows" / "demo" / "shanxi-2021.yaml"
STORY = read_story(STORY_FILE)
DEMO_TODAY = iso(STORY["today"])
PASSWORD = "Sx-Pingxuan-2021"
CAMPAIGN_FILE = Path(__file__).resolve().parents[2] / "workflows" / "campaigns" / "shanxi-2021.yaml"

#: per city: telephone area code, postcode of the bureau, and its street address
CITY_FACTS = {
    "taiyuan": ("0351", "030002", "杏花岭区府西街69号"), "datong": ("0352", "037006", "平城区御河西路1000号"),
    "yangquan": ("0353", "045000", "城区桃北中路59号"), "changzhi": ("0355", "046000", "潞州区英雄中路111号"),
    "jincheng": ("0356", "048000", "城区泽州路695号"), "shuozhou": ("0349", "036002", "朔城区开发北路36号"),
    "jinzhong": ("0354", "030600", "榆次区汇通路346号"), "yuncheng": ("0359", "044000", "盐湖区河东东街18号"),
    "xinzhou": ("0350", "034000", "忻府区和平西街29号"), "linfen": ("0357", "041000", "尧都区鼓楼西大街38号"),
    "lvliang": ("0358", "033000", "离石区龙凤南大街108号"),
}
#: per city: (分管领导, 职务), (联系人, 职务) of 附件7; window leaders (A, B)
CITY_PEOPLE = {
    "taiyuan": (("李建国", "党组成员、副局长"), ("刘芳", "人事科科长"), ("郭志强", "韩丽")),
    "datong": (("王振华", "副局长"), ("高敏", "人事科副科长"), ("薛文斌", "白玉兰")),
    "yangquan": (("赵建平", "党组成员、副局长"), ("孟琳", "人事科科长"), ("石宏伟", "贾晓燕")),
    "changzhi": (("牛志勇", "副局长"), ("申晓丽", "人事科科长"), ("宋卫兵", "秦艳")),
    "jincheng": (("常海军", "党组成员、副局长"), ("张璐", "人事科科员"), ("原建新", "焦丽华")),
    "shuozhou": (("郝俊峰", "副局长"), ("温晓红", "人事科科长"), ("乔国庆", "任美玲")),
    "jinzhong": (("田永胜", "党组成员、副局长"), ("武佳", "人事科科长"), ("范志宏", "冀小平")),
    "yuncheng": (("柴建军", "副局长"), ("卫晓静", "人事科副科长"), ("畅国栋", "吉红霞")),
    "xinzhou": (("闫卫东", "党组成员、副局长"), ("段丽萍", "人事科科长"), ("邢建明", "续桂芳")),
    "linfen": (("亢晓军", "副局长"), ("贺婷", "人事科科长"), ("梁志刚", "侯亚楠")),
    "lvliang": (("薛宏亮", "党组成员、副局长"), ("成艳芳", "人事科科长"), ("康永红", "冯雪梅")),
}

CITIES = {  # code: (region code, counties, township)
    "taiyuan": ("140105", ["小店区", "迎泽区", "清徐县"], "坞城街道"),
    "datong": ("140213", ["平城区", "云冈区", "阳高县"], "新旺乡"),
    "yangquan": ("140302", ["城区", "平定县", "盂县"], "冠山镇"),
    "changzhi": ("140403", ["潞州区", "襄垣县", "沁源县"], "英雄南路街道"),
    "jincheng": ("140502", ["城区", "泽州县", "高平市"], "北石店镇"),
    "shuozhou": ("140602", ["朔城区", "怀仁市", "山阴县"], "北旺庄街道"),
    "jinzhong": ("140702", ["榆次区", "平遥县", "介休市"], "古陶镇"),
    "yuncheng": ("140802", ["盐湖区", "永济市", "临猗县"], "姚孟街道"),
    "xinzhou": ("140902", ["忻府区", "原平市", "五台县"], "台城镇"),
    "linfen": ("141002", ["尧都区", "侯马市", "洪洞县"], "大槐树镇"),
    "lvliang": ("141102", ["离石区", "孝义市", "汾阳市"], "凤山街道"),
}
PEOPLE = {  # code: (name, birth, gender seq parity, ethnicity, political status, position, rank)
    "taiyuan": ("张晓梅", "19850312", 2, "汉族", "中共党员", "社保经办窗口科员", "科员"),  # 窗口 + 职务
    "datong": ("刘建军", "19790825", 1, "汉族", "中共党员", "就业服务窗口负责人", "正科级"),
    "yangquan": ("赵丽娟", "19880117", 2, "汉族", "中共党员", "12333热线班长", "科员"),
    "changzhi": ("马志刚", "19821104", 1, "回族", "中共党员", "劳动监察大队副队长", "副科级"),
    "jincheng": ("李秀英", "19860630", 2, "汉族", "群众", "人事考试窗口科员", "科员"),
    "shuozhou": ("王海燕", "19900215", 2, "蒙古族", "中共党员", "社保卡服务窗口科员", "科员"),
    "jinzhong": ("孙浩", "19840909", 1, "汉族", "中共党员", "仲裁院立案窗口负责人", "副科级"),
    "yuncheng": ("周敏", "19870521", 2, "汉族", "中共党员", "养老保险窗口科员", "科员"),
    "xinzhou": ("吴国栋", "19810318", 1, "汉族", "中共党员", "职业技能鉴定所副所长", "副科级"),
    "linfen": ("郑佳", "19920801", 2, "汉族", "共青团员", "人才服务窗口科员", "办事员"),
    "lvliang": ("冯晓东", "19830402", 1, "汉族", "中共党员", "社会保险中心经办科科长", "正科级"),
}
CATEGORY_A = ["public_employment", "social_insurance", "hotline_12333", "labour_inspection", "personnel_exam",
              "social_insurance", "arbitration", "online", "skills_appraisal", "personnel_talent", "petition"]


def _id(region: str, birth: str, seq: int) -> str:
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + id_check_digit(first17)


def _deeds(subject: str, focus: str) -> tuple[str, str]:
    main = (f"{subject}深入学习贯彻习近平新时代中国特色社会主义思想，坚持以人民为中心的发展思想，"
            f"围绕“{focus}”持续推进人社系统行风建设。"
            "一是服务规范健全完善，全面落实“五制”“四公开”“三亮明”，前台服务、后台管理和业务控制经办规程完整规范。"
            "二是政策措施落地见效，全面推行证明事项告知承诺制，严格落实取消证明材料有关要求，惠民政策和便民举措落实到位。"
            "三是服务提供便捷高效，线上线下办事指南规范准确，为老年人等特殊群体提供线上线下并行服务，特殊情况下提供上门服务。"
            "四是创新服务成效显著，深入实施“人社服务快办行动”，推进“打包办”“提速办”“简便办”，实现一窗受理、并联办理。"
            "五是服务能力明显提升，积极参加“日日学、周周练、月月比”活动，在全省练兵比武中取得优异成绩，“好差评”好评率保持在99%以上。"
            "三年来累计办理业务十二万余件，群众满意率持续位居全市前列，未发生一起有效投诉。")
    brief = (f"{subject}围绕“{focus}”推进行风建设，全面落实服务规范，推行告知承诺制和“一窗通办”，"
             "三年办理业务十二万余件，“好差评”好评率99%以上，在全省练兵比武中成绩优异。")
    return main, brief


def _window(city: Organisation, city_code: str, which: str) -> dict:
    region, counties, township = CITIES[city_code]
    area, postcode, street = CITY_FACTS.get(city_code, CITY_FACTS["taiyuan"])
    i = list(CITIES).index(city_code)
    leaders = CITY_PEOPLE.get(city_code, CITY_PEOPLE["taiyuan"])[2]
    if which == "A":
        name = f"{city.short_name}人力资源和社会保障局政务服务大厅"
        level, category, parent = "city", CATEGORY_A[i], city.name
        rank, title, address = "正处级", "政务服务大厅主任", f"山西省{city.short_name}{street}"
    else:
        county = counties[0]
        name = f"{city.short_name}{county}{township}劳动就业和社会保障服务所"
        level, category, parent = "township", "grassroots_station", f"{city.short_name}{county}人力资源和社会保障局"
        rank, title, address = "无", "所长", f"山西省{city.short_name}{county}{township}政务服务中心一层"
    main, brief = _deeds(name, "打造群众满意的人社服务")
    return {
        "window_name": name, "window_category": category, "window_level": level, "parent_unit_name": parent,
        "leader_name": leaders[0 if which == "A" else 1], "leader_title": title,
        "leader_position": f"{parent}{title}" if which == "A" else f"{name}{title}",
        "leader_phone": f"{area}-{2020000 + 1000 * i + (11 if which == 'A' else 57)}", "staff_count": 12 + i,
        "address": address, "postcode": postcode if which == "A" else f"{postcode[:4]}{10 + i}",
        "unit_nature": "public_institution" if which == "A" else "organ", "admin_rank": rank,
        "clean_record_attested_by": f"{parent}党组", "clean_record_attested_on": "2021-07-20",
        "main_deeds": main, "brief_deeds": brief,
    }


def _desk(position: str) -> str:
    """The window a person works at, from their position: 社保经办窗口科员 → 社保经办窗口."""
    m = re.match(r".+?(窗口|热线|大队|鉴定所|中心)", position)
    return m.group(0) if m else position


def _person(city: Organisation, city_code: str, seq_offset: int = 0) -> dict:
    region, counties, _ = CITIES[city_code]
    name, birth, parity, ethnicity, political, position, rank = PEOPLE[city_code]
    seq = 100 + seq_offset * 2 + (1 if parity == 1 else 0)
    unit = f"山西省{city.short_name}{counties[1]}人力资源和社会保障局"
    main, brief = _deeds(f"{name}同志", "把群众的事当作自己的事")
    desk = _desk(position)
    return {
        "person_name": name, "id_number": _id(region, birth, seq), "ethnicity": ethnicity,
        "political_status": political, "education": "大学本科 管理学学士", "work_unit": unit + desk,
        # the 职务 alone: 工作单位 already names the window
        "position": position[len(desk):] or position, "professional_title": "经济师", "unit_nature": "civil_service_managed",
        "admin_rank": rank, "work_start": "2008-07-01", "system_start": "2010-03-01", "window_start": "2013-05-01",
        "phone": f"138{region[2:4]}{birth[4:8]}{seq % 100:02d}", "main_deeds": main, "brief_deeds": brief,
    }


def demo_totp_secret(username: str) -> str:
    """The published TOTP secret of a demo account (derived from its name: the demo's codes are public, like
    its password; ``flask totp-code USER`` prints the current one)."""
    digest = hashlib.sha256(f"nominate-demo-totp:{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def _pre_enrol_two_factors() -> None:
    """Every demo account whose role must use two factors is enrolled with its published secret."""
    for account in db.session.scalars(db.select(User).order_by(User.id)):
        if must_use_two_factors(account):
            pre_enrol_totp(None, account, demo_totp_secret(account.username))
    db.session.commit()


def build_demo() -> list[tuple[str, str, str, str]]:
    """Create the demo in an empty database; returns (role, username, password, organisation) for the logins.

    Refuses a database that already has accounts or nominations: the demo's accounts all share a
    published password and must never be added to a database in use."""
    from nominate.accounts.models import User
    from nominate.nominations.models import Nomination

    used = db.session.scalar(db.select(db.func.count(Nomination.id))) or db.session.scalar(
        db.select(db.func.count(User.id)))
    if used:
        raise RuntimeError("数据库中已有账号或推荐数据：演示数据只能装入空库（可用 flask demo --reset 重建演示库）")

    def set_today(iso):
        current_app.config["NOMINATE_TODAY"] = iso

    set_today(iso(STORY["start"]))
    campaign = load_campaign(CAMPAIGN_FILE)
    province = campaign.province
    orgs = {o.code: o for o in db.session.scalars(db.select(Organisation))}
    for code, (_, counties, _) in CITIES.items():
        for j, county in enumerate(counties):
            ccode = f"{code}-{j + 1}"
            if ccode not in orgs:
                db.session.add(Organisation(code=ccode, name=f"{county}人力资源和社会保障局", short_name=county,
                                            kind=OrgKind.COUNTY, parent=orgs[code], sort_order=j))
    group = orgs["shanxi-shengzhi"]
    units = {}
    for j, (code, name, short) in enumerate([("sx-talent", "山西省人才交流服务中心", "省人才中心"),
                                             ("sx-sicenter", "山西省社会保险中心", "省社保中心")]):
        units[code] = orgs.get(code) or Organisation(code=code, name=name, short_name=short,
                                                     kind=OrgKind.PROVINCIAL_UNIT, parent=group, sort_order=j)
        db.session.add(units[code])
    db.session.flush()

    users: dict = {}

    def user(role, org_code, username=None, display=None):
        key = (role, org_code)
        if key not in users:
            org = db.session.scalar(db.select(Organisation).filter_by(code=org_code))
            users[key] = create_user(None, username=username or f"{org_code}-{role}", password=PASSWORD, role=role,
                                     organisation=org, display_name=display or f"{org.short_name}{_ROLE_NAMES[role]}")
        return users[key]

    logins = [
        ("admin", "admin", "shanxi", "系统管理员"),
        ("province_office", "shengban", "shanxi", "省推荐评选办 王晋"),
        ("city_bureau", "taiyuan", "taiyuan", "太原市人社局 评选办"),
        ("provincial_unit", "shengzhi", "sx-talent", "省人才中心 人事科"),
        ("signer_discipline", "jincheng-jijian", "jincheng", "晋城市纪委监委"),
        ("signer_personnel", "jincheng-zuzhi", "jincheng", "晋城市委组织部"),
        ("signer_police", "gongan", "shanxi", "山西省公安厅"),
        ("ministry", "renshebu", "mohrss", "人社部评比表彰工作领导小组办公室"),
    ]
    for role, username, org_code, display in logins:
        user(role, org_code, username, display)
    for code in CITIES:
        user("city_bureau", code, code, f"{orgs[code].short_name}人社局 评选办")
        user("signer_discipline", code, f"{code}-jijian", f"{orgs[code].short_name}纪委监委")
        user("signer_personnel", code, f"{code}-zuzhi", f"{orgs[code].short_name}委组织部")
    user("provincial_unit", "sx-sicenter", "sx-sicenter", "省社保中心 人事科")
    user("signer_discipline", "shanxi", "shanxi-jijian", "省纪委监委驻厅纪检监察组")
    user("signer_personnel", "shanxi", "shanxi-zuzhi", "省人社厅人事处")
    db.session.commit()
    _contacts(user, {**orgs, **units})
    db.session.commit()

    noms: dict = {}
    for code in CITIES:
        city_user = user("city_bureau", code)
        city = orgs[code]
        noms[code] = {
            "A": nops.create_nomination(campaign, city_user, "window", _window(city, code, "A")),
            "B": nops.create_nomination(campaign, city_user, "window", _window(city, code, "B")),
            "I": nops.create_nomination(campaign, city_user, "individual", _person(city, code)),
        }
    noms["sx-talent"] = {"A": nops.create_nomination(  # a 省直 draft
        campaign, user("provincial_unit", "sx-talent"), "window",
        {**_window(units["sx-talent"], "taiyuan", "A"), "window_name": "山西省人才交流服务中心档案服务窗口",
         "window_level": "province", "parent_unit_name": "山西省人才交流服务中心", "admin_rank": "正处级",
         "leader_name": "吴思远", "leader_title": "档案服务科科长", "leader_position": "山西省人才交流服务中心档案服务科科长",
         "leader_phone": "0351-5210188", "window_category": "personnel_talent"})}
    noms["sx-sicenter"] = {"I": nops.create_nomination(
        campaign, user("provincial_unit", "sx-sicenter"), "individual",
        {**_person(units["sx-sicenter"], "taiyuan", 7), "person_name": "高云",
         "work_unit": "山西省社会保险中心待遇核定窗口", "position": "待遇核定科科员"})}
    db.session.commit()
    for code in CITIES:
        bops.get_or_create_batch(campaign.id, orgs[code].id)
    db.session.commit()

    Story(STORY, campaign, {**orgs, **units}, noms, user, set_today, _report).play()

    _honours(noms, orgs, user("province_office", "shanxi"))
    db.session.commit()
    _pre_enrol_two_factors()
    return [(role, username, PASSWORD, display) for role, username, _, display in logins]


def _contacts(user, orgs) -> None:
    """Every city, the 省直 units and the provincial office enter their contacts (附件7) on 5 August,
    before the 8月13日 deadline, through the same operation the 联系信息 page uses."""
    from nominate.organisations.operations import update_contacts

    current_app.config["NOMINATE_TODAY"] = "2021-08-05"
    for code in CITIES:
        area, postcode, street = CITY_FACTS[code]
        i = list(CITIES).index(code)
        (leader, leader_pos), (contact, contact_pos), _ = CITY_PEOPLE[code]
        update_contacts(user("city_bureau", code), orgs[code], {
            "leader_name": leader, "leader_position": leader_pos, "leader_phone": f"{area}-{4220001 + 10 * i}",
            "leader_mobile": f"1390{area[1:]}{2001 + 10 * i:04d}", "contact_name": contact,
            "contact_position": contact_pos, "contact_phone": f"{area}-{4220012 + 10 * i}",
            "contact_mobile": f"1380{area[1:]}{3002 + 10 * i:04d}", "fax": f"{area}-{4220013 + 10 * i}",
            "email": f"{code}rsj@163.com", "address": f"山西省{orgs[code].short_name}{street}", "postcode": postcode})
    for code, (leader, contact, n) in {"sx-talent": (("杜文杰", "副主任"), ("毛丽", "人事科科长"), 1),
                                       "sx-sicenter": (("姚志刚", "副主任"), ("黄静", "人事科科长"), 2)}.items():
        update_contacts(user("provincial_unit", code), orgs[code], {
            "leader_name": leader[0], "leader_position": leader[1], "leader_phone": f"0351-52{n}0101",
            "leader_mobile": f"1393515{n}101", "contact_name": contact[0], "contact_position": contact[1],
            "contact_phone": f"0351-52{n}0102", "contact_mobile": f"1393515{n}102", "fax": f"0351-52{n}0103",
            "email": f"{code}@sx.gov.cn", "address": f"山西省太原市小店区长治路{100 + n}号", "postcode": "030006"})
    update_contacts(user("province_office", "shanxi"), orgs["shanxi"], {
        "leader_name": "杨志军", "leader_position": "党组成员、副厅长", "leader_phone": "0351-7676001",
        "leader_mobile": "13903517601", "contact_name": "王晋", "contact_position": "人事处一级主任科员",
        "contact_phone": "0351-7676040", "contact_mobile": "13903517640", "fax": "0351-7676041",
        "email": "sxrstrcsc@163.com", "address": "山西省太原市万柏林区滨河西路南段129号省直集中办公区",
        "postcode": "030027"})


SX_HRSS = "山西省人力资源和社会保障厅"
CONTEST_2020 = "2020年度全省人社窗口单位业务技能练兵比武全省赛"
DOC_2020 = "晋人社厅函〔2020〕166号"


def _honours(noms: dict, orgs: dict, office) -> None:
    """The honours register: 全省赛 ranks, 知识通 titles, team prizes of windows, earlier titles; most of them
    held by demo nominees (so 备注 fills itself), a few by people and units not nominated this cycle."""
    from nominate.honours import operations as hops

    def person(code, title, kind, level, year, competition="", rank=None, body=SX_HRSS, doc=None, nom=None):
        nom = nom or noms[code]["I"]
        hops.create_honour(office, {"holder_kind": "person", "person_name": nom.person_name, "id_number": nom.id_number,
                                    "organisation": nom.owner_org, "title": title, "kind": kind, "level": level,
                                    "year": year, "competition": competition, "rank": rank, "issuing_body": body,
                                    "document_number": doc})

    def unit(code, name, title, kind, level, year, competition="", rank=None, body=SX_HRSS, doc=None):
        hops.create_honour(office, {"holder_kind": "unit", "unit_name": name, "organisation": orgs[code],
                                    "title": title, "kind": kind, "level": level, "year": year,
                                    "competition": competition, "rank": rank, "issuing_body": body,
                                    "document_number": doc})

    person("taiyuan", "全省人社“知识通”", "competition_title", "province", 2020, CONTEST_2020, doc=DOC_2020)
    person("taiyuan", "个人第三名", "individual_rank", "province", 2020, CONTEST_2020, rank="第3名", doc=DOC_2020)
    person("datong", "全国人社系统岗位练兵明星", "competition_title", "national", 2020, body="人力资源社会保障部")
    person("jincheng", "个人第一名", "individual_rank", "province", 2020, CONTEST_2020, rank="第1名", doc=DOC_2020)
    person("jincheng", "全省人社“知识通”", "competition_title", "province", 2020, CONTEST_2020, doc=DOC_2020)
    person("changzhi", "全省人社系统行风建设先进个人", "title", "province", 2018, doc="晋人社厅发〔2018〕52号")
    person("yangquan", "日日学之星", "competition_title", "national", 2021, "2021年度全国人社窗口单位业务技能练兵比武",
           body="人力资源社会保障部练兵比武在线学习平台")
    person("jinzhong", "个人第二名", "individual_rank", "city", 2019, "2019年度晋中市人社系统练兵比武选拔赛", rank="第2名",
           body="晋中市人力资源和社会保障局")
    for code, prize in (("taiyuan", "团体一等奖"), ("jinzhong", "团体二等奖"), ("jincheng", "团体三等奖")):
        window = noms[code]["A"]
        unit(code, window.parent_unit_name, prize, "team_prize", "province", 2020, CONTEST_2020, doc=DOC_2020)
    window = noms["datong"]["A"]
    unit("datong", window.window_name, "全省人社系统优质服务窗口", "title", "province", 2019, doc="晋人社厅发〔2019〕88号")
    unit("yuncheng", noms["yuncheng"]["B"].window_name, "团体一等奖", "team_prize", "city", 2021,
         "2021年度运城市人社窗口单位业务技能练兵比武选拔赛", body="运城市人力资源和社会保障局")
    # Not nominated this cycle: the next cycle's nominations will find them.
    region = CITIES["taiyuan"][0]
    hops.create_honour(office, {"holder_kind": "person", "person_name": "赵文静", "id_number": _id(region, "19920715", 262),
                                "organisation": orgs["taiyuan"], "title": "全省人社“知识通”", "kind": "competition_title",
                                "level": "province", "year": 2020, "competition": CONTEST_2020, "issuing_body": SX_HRSS,
                                "document_number": DOC_2020})
    unit("linfen", "尧都区人力资源和社会保障局", "优胜奖", "team_prize", "province", 2020, CONTEST_2020, doc=DOC_2020)


_ROLE_NAMES = {"city_bureau": "人社局", "provincial_unit": "", "province_office": "推荐评选办",
               "signer_discipline": "纪检监察", "signer_personnel": "组织人事", "signer_police": "公安",
               "ministry": "人社部", "admin": "管理员"}


def _report(city: str) -> str:
    return (f"{city}人社局高度重视此次推荐评选工作，成立了由局主要负责同志任组长的评比表彰工作领导小组。"
            "按照自下而上、逐级推荐、差额评选、民主择优的方式，经所在单位民主推荐、领导班子集体研究决定并在本单位公示5个工作日，"
            "公示期间未收到异议（或异议经核查不属实）。经局党组研究，按推荐名额及顺序确定推荐对象如下。")
