"""Realistic sample contexts for every template (Shanxi 2021; all people and numbers invented).

``SAMPLES[key]()`` returns a fresh context for ``TEMPLATE_FILES[key]``; the tests render each one
and README.md documents the keys.  李晓梅's 主要事迹 is close to the 2000-character limit so that the
附件3 deeds row has to continue on the following pages.
"""

from __future__ import annotations

import datetime as dt
import io

from form_templates import format_cn_date, format_date, format_period, title_lines

YEAR = 2021
CAMPAIGN_TITLE = "全国人力资源社会保障系统优质服务窗口和优质服务先进个人"
PROVINCE_OFFICE = "全国人社系统优质服务窗口和优质服务先进个人山西省推荐评选工作领导小组办公室"

LI_XIAOMEI_DEEDS = """\
李晓梅同志2008年参加工作，2012年调入小店区社会保险中心，先后在养老保险待遇核定、参保登记和综合柜员等岗位工作，2016年起担任社会保险经办服务大厅综合受理科科长。十三年来，她始终把“群众满意”作为衡量工作的唯一标准，扎根窗口一线，先后经手办理各类社会保险业务十二万余件，无一差错、无一投诉，被群众亲切地称为“贴心的社保大姐”。
一是坚持政治引领，把为民服务落实到每一件小事上。她坚持把学习习近平新时代中国特色社会主义思想作为必修课，带领科室开展“窗口党课”“岗位学习日”活动，把党史学习教育与解决群众急难愁盼结合起来，推动“我为群众办实事”实践活动落地见效。她主动认领“退休人员待遇核定慢”这一群众反映最集中的问题，牵头梳理核定环节，将平均办理时限由15个工作日压缩到5个工作日，当年为辖区2300余名新退休人员按时足额发放养老金。
二是坚持改革创新，让群众办事更加便捷高效。她深入落实“清事项、减材料、压时限”要求，带领同事逐项梳理经办事项86项，取消证明材料23项，推行“一窗受理、综合服务”模式，把原来分设的养老、医疗、失业等7个窗口整合为综合柜员窗口，实现“一次取号、一窗办结”。她牵头编写《小店区社会保险业务一次性告知手册》，制作通俗易懂的“明白卡”“流程图”，让群众“看得懂、算得清”。在她的推动下，大厅全面推行证明事项告知承诺制，累计为群众减少跑腿4万余人次。
三是坚持线上线下融合，打通服务群众“最后一公里”。她积极推进“全服务上网”，主动学习掌握网上经办系统，手把手教群众使用“民生山西”“山西人社”等线上服务平台，带领科室录制操作教学视频18个，网上办理率由2018年的不足20%提高到目前的76%。对不会使用智能手机的老年人，她坚持保留并优化线下渠道，在大厅设立“老年人绿色通道”和“帮办代办”岗位，为高龄、失能、残疾等特殊群体提供上门服务，三年来累计上门服务320余次。2020年新冠肺炎疫情期间，她带头推行“不见面办”“延期办”“预约办”，在大厅门口设立“无接触”材料收取箱，确保疫情期间社会保险业务不断档、群众待遇不断发。
四是坚持苦练内功，争当业务能手和岗位标兵。她把“日日学、周周练、月月比”作为自我提升的有效途径，坚持每天学习一小时政策法规，整理形成业务笔记30余万字。2019年，她在全省人社系统窗口单位业务技能练兵比武活动中获得个人第一名，被授予全省人社“知识通”称号；2020年，在全国人社系统窗口单位业务技能练兵比武山西赛区选拔赛中，作为团队主力获得团体一等奖。她还担任区社保中心内训师，编写培训课件42套，带出的12名徒弟中有5人成为业务骨干，2人在市级比武中获奖。
五是坚持廉洁自律，以过硬作风树立窗口良好形象。她严格遵守中央八项规定精神和各项廉政纪律，从不利用职务之便为自己和亲友谋取私利。面对个别群众送来的土特产和感谢金，她总是婉言谢绝，并耐心解释政策规定。她带头落实首问负责、限时办结、一次性告知等服务制度，推行“好差评”评价机制，科室好评率连续三年保持在99.8%以上。她主动认领“办不成事”反映窗口，对群众反映的疑难问题建立台账、跟踪督办，实现件件有回音、事事有着落。
六是坚持用心用情，把群众当亲人。2020年冬天，一位年过七旬的老人因工龄认定材料缺失，多次往返无法办理待遇核定。李晓梅了解情况后，利用周末时间陪同老人到原工作单位和档案馆查找资料，历时两个月终于补齐材料，为老人核定了养老金并补发了待遇。老人激动地送来锦旗，写着“为民服务解民忧，人社窗口暖人心”。类似这样的事例在她的工作中还有很多。她常说：“群众的事再小也是大事，我们多跑一步，群众就少跑一趟。”
七是坚持标准化建设，推动窗口服务规范化、精细化。她牵头制定综合受理科《岗位职责清单》《服务规范十条》和《风险防控手册》，把前台受理、后台审核、业务稽核三个环节的职责边界逐项写清，建立“受审分离、双人复核”机制，堵塞了经办风险漏洞。她推动大厅按照窗口建设标准重新规划功能分区，增设自助服务区、休息等候区和母婴室，配备老花镜、轮椅、急救药箱等便民设施，办事指南全部纳入“人社政务服务电子地图”。在她的带动下，综合受理科连续三年在区社保中心绩效考核中位列第一，成为全市社会保险经办系统观摩学习的示范窗口。
多年来，李晓梅同志先后被评为太原市“三八红旗手”、山西省人社系统“优质服务标兵”、全省人社系统行风建设先进个人，她所在的综合受理科被评为全省人社系统“群众满意窗口”。她用实际行动诠释了新时代人社窗口工作者的责任与担当，用心用情打造了群众满意的人社服务。今后，她表示将继续立足本职、扎根一线、真抓实干，以更加优良的作风、更加过硬的本领、更加温馨的服务，为推进人社事业高质量发展贡献自己的力量。"""

XIAODIAN_WINDOW_DEEDS = """\
小店区社会保险经办服务大厅承担全区养老、工伤、失业保险参保登记、待遇核定和社会化管理服务等职能，服务参保单位6800余户、参保群众32万余人。近年来，大厅坚持以党建引领行风建设，认真落实人社窗口单位服务规范，全面推行“五制”“四公开”“三亮明”，打造群众满意的人社服务。
大厅深入实施“人社服务快办行动”，推行“打包办”“提速办”“简便办”，将企业职工退休“一件事”办理时限压缩至5个工作日，取消证明材料23项，推行告知承诺制事项19项。大厅设置综合受理窗口14个、老年人绿色通道2个、“办不成事”反映窗口1个，为特殊群体提供上门服务和帮办代办。
大厅积极开展练兵比武，在全省人社系统窗口单位业务技能练兵比武中获团体一等奖，涌现出全省人社“知识通”等一批业务能手。2018年以来，大厅没有发生违法案件和重大违纪问题，“好差评”好评率保持在99.8%以上。"""


def _person(**kw):
    base = {
        "honours": [],
        "remarks": "",
        "main_deeds": "",
        "summary": "",
    }
    base.update(kw)
    # 单位及职务 in one (公示报样, reports); the documents package joins them without repeating the unit
    base.setdefault("unit_position", f"{base.get('work_unit', '')}{base.get('position', '')}")
    return base


LI_XIAOMEI = _person(
    seq=1,
    name="李晓梅",
    gender="女",
    ethnicity="汉族",
    birth="1986.05",
    political_status="中共党员",
    education="大学本科 管理学学士",
    id_number="140105198605120027",
    work_unit="山西省太原市小店区社会保险经办服务大厅",
    unit_nature="参公单位",
    position="综合受理科科长",
    admin_level="正科级",
    professional_title="经济师",
    work_start="2008.07",
    hrss_start="2012.03",
    window_start="2012.03",
    window_years="9年",
    phone="13903510426",
    honours=[
        "2019年 全省人社系统窗口单位业务技能练兵比武个人第一名，全省人社“知识通”",
        "2020年 全国人社系统业务技能练兵比武山西赛区选拔赛团体一等奖（主力队员）",
        "2020年 山西省人社系统“优质服务标兵”",
        "2018年 太原市“三八红旗手”",
    ],
    remarks="2019年全省人社“知识通”；2020年山西省人社系统优质服务标兵",
    main_deeds=LI_XIAOMEI_DEEDS,
    summary=(
        "李晓梅同志扎根社保窗口一线13年，累计经办业务12万余件无差错、无投诉。她牵头推行“一窗受理、"
        "综合服务”，取消证明材料23项，将退休待遇核定时限由15个工作日压缩到5个工作日；推进线上线下"
        "融合，网上办理率提高到76%，为特殊群体上门服务320余次。2019年获全省人社“知识通”称号，"
        "2020年被评为山西省人社系统“优质服务标兵”。"
    ),
)

INDIVIDUALS = [
    LI_XIAOMEI,
    _person(seq=2, name="王建军", gender="男", ethnicity="汉族", birth="1979.09",
            political_status="中共党员", education="研究生 法学硕士",
            id_number="14021319790923151X",
            work_unit="山西省大同市劳动人事争议仲裁院仲裁庭", unit_nature="事业单位",
            position="仲裁庭庭长", admin_level="副科级", professional_title="一级仲裁员",
            work_start="2003.07", hrss_start="2006.09", window_start="2010.04",
            window_years="11年", phone="13835208817",
            remarks="2018年全省劳动人事争议调解仲裁办案能手",
            summary="王建军同志从事劳动人事争议仲裁工作15年，结案3100余件，调解率82%，"
                    "未发生一起错案。"),
    _person(seq=3, name="张丽娟", gender="女", ethnicity="汉族", birth="1988.03",
            political_status="中共党员", education="大学本科 文学学士",
            id_number="141102198803160048",
            work_unit="山西省吕梁市离石区人力资源和社会保障局12333电话咨询服务中心",
            unit_nature="事业单位", position="科员", admin_level="无",
            professional_title="助理经济师", work_start="2011.08", hrss_start="2011.08",
            window_start="2015.06", window_years="6年", phone="15803580312",
            remarks="2020年全省12333咨询服务比武第二名",
            summary="张丽娟同志坚守12333热线6年，接听群众来电9.6万通，满意率99.6%。"),
    _person(seq=4, name="赵永红", gender="男", ethnicity="回族", birth="1983.07",
            political_status="中共党员", education="大学本科 工学学士",
            id_number="14070219830708421X",
            work_unit="山西省晋中市榆次区公共就业和人才服务中心", unit_nature="事业单位",
            position="就业服务科科长", admin_level="正科级", professional_title="经济师",
            work_start="2005.07", hrss_start="2009.03", window_start="2009.03",
            window_years="12年", phone="13903540765", remarks="",
            summary="赵永红同志深耕公共就业服务12年，帮助1.2万名群众实现就业。"),
    _person(seq=5, name="刘芳", gender="女", ethnicity="汉族", birth="1991.02",
            political_status="共青团员", education="大学本科 管理学学士",
            id_number="140802199102270625",
            work_unit="山西省运城市盐湖区社会保险中心综合服务窗口", unit_nature="参公单位",
            position="科员", admin_level="无", professional_title="无",
            work_start="2014.09", hrss_start="2014.09", window_start="2016.01",
            window_years="5年", phone="18635920571",
            remarks="2021年全市人社系统练兵比武“岗位练兵明星”",
            summary="刘芳同志在社保综合窗口工作5年，推出“周末不打烊”服务。"),
]


def _window(**kw):
    base = {
        "category": "社会保险经办",
        "admin_level": "正科级",
        "staff_count": 20,
        "address": "",
        "postcode": "",
        "leader_position": "",
        "honours": [],
        "remarks": "",
        "main_deeds": "",
        "summary": "",
    }
    base.update(kw)
    return base


XIAODIAN_WINDOW = _window(
    seq=1,
    name="太原市小店区社会保险经办服务大厅",
    nature="参公单位",
    level="县级",
    category="社会保险经办",
    admin_level="正科级",
    leader_name="郭志强",
    leader_position="主任",
    leader_unit_position="太原市小店区社会保险中心主任",
    leader_phone="0351-7023316",
    unit_name="太原市小店区社会保险中心",
    staff_count=46,
    address="山西省太原市小店区长治路227号",
    postcode="030006",
    honours=[
        "2020年 全省人社系统窗口单位业务技能练兵比武团体一等奖",
        "2019年 全省人社系统“群众满意窗口”",
        "2018年 太原市“青年文明号”",
    ],
    remarks="2020年全省练兵比武团体一等奖；2019年全省人社系统群众满意窗口",
    main_deeds=XIAODIAN_WINDOW_DEEDS,
    summary=(
        "该大厅服务参保单位6800余户、参保群众32万余人，推行“一窗受理、综合服务”，取消证明材料23项，"
        "企业职工退休“一件事”5个工作日办结，“好差评”好评率保持在99.8%以上，2020年获全省人社系统"
        "窗口单位业务技能练兵比武团体一等奖。"
    ),
)

_WINDOW_ROWS = [
    ("太原市人力资源和社会保障局12333电话咨询服务中心", "事业单位", "市级", "孙丽",
     "太原市12333电话咨询服务中心主任", "0351-4226137", "太原市人力资源和社会保障局", ""),
    ("大同市平城区新建南路街道就业和社会保障服务站", "机关", "乡镇（街道）", "马俊峰",
     "平城区新建南路街道办事处副主任", "0352-2045713", "大同市平城区新建南路街道办事处",
     "2020年全市人社系统练兵比武团体二等奖"),
    ("阳泉市公共就业和人才服务中心服务大厅", "事业单位", "市级", "杨海燕",
     "阳泉市公共就业和人才服务中心副主任", "0353-2216630", "阳泉市公共就业和人才服务中心", ""),
    ("长治市潞州区劳动保障监察大队维权窗口", "参公单位", "县级", "陈国栋",
     "长治市潞州区劳动保障监察大队大队长", "0355-2023419", "长治市潞州区人力资源和社会保障局", ""),
    ("晋城市职业技能鉴定指导中心鉴定服务窗口", "事业单位", "市级", "牛晓东",
     "晋城市职业技能鉴定指导中心主任", "0356-2191025", "晋城市人力资源和社会保障局",
     "2019年全省职业技能鉴定质量督导先进单位"),
    ("朔州市朔城区北城街道社区就业和社会保障服务站", "其他", "社区", "高美玲",
     "北城街道社区服务站站长", "13934909261", "朔州市朔城区北城街道办事处", ""),
    ("晋中市榆次区公共就业和人才服务中心", "事业单位", "县级", "赵永红",
     "榆次区公共就业和人才服务中心就业服务科科长", "13903540765",
     "晋中市榆次区人力资源和社会保障局", ""),
    ("运城市人事考试中心考务服务窗口", "事业单位", "市级", "薛文博",
     "运城市人事考试中心主任", "0359-2686512", "运城市人力资源和社会保障局", ""),
    ("忻州市社会保险中心综合服务大厅", "参公单位", "市级", "白晋华",
     "忻州市社会保险中心副主任", "0350-3032268", "忻州市社会保险中心",
     "2020年全省人社系统行风建设先进集体"),
    ("临汾市尧都区人力资源和社会保障局信访接待室", "机关", "县级", "乔红梅",
     "临汾市尧都区人力资源和社会保障局信访科科长", "0357-2096633",
     "临汾市尧都区人力资源和社会保障局", ""),
    ("吕梁市离石区人力资源和社会保障局12333电话咨询服务中心", "事业单位", "县级", "冯立新",
     "离石区12333电话咨询服务中心主任", "0358-8223365", "吕梁市离石区人力资源和社会保障局",
     "2020年全省12333咨询服务比武团体三等奖"),
]

WINDOWS = [XIAODIAN_WINDOW] + [
    _window(seq=i, name=n, nature=nat, level=lvl, leader_name=ln, leader_unit_position=lup,
            leader_phone=ph, unit_name=un, remarks=rm,
            summary=f"{n}坚持以群众满意为标准，推进人社服务快办行动，服务质量和群众满意度持续提升。")
    for i, (n, nat, lvl, ln, lup, ph, un, rm) in enumerate(_WINDOW_ROWS, start=2)
]


def sample_photo() -> bytes:
    """A 2-inch (35 x 49) blue-background placeholder portrait, as PNG bytes."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (350, 490), (67, 142, 219))
    draw = ImageDraw.Draw(img)
    draw.ellipse((115, 90, 235, 230), fill=(236, 205, 180))
    draw.rectangle((70, 300, 280, 490), fill=(40, 40, 60))
    draw.ellipse((70, 240, 280, 380), fill=(40, 40, 60))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _approval_opinions(unit_text: str) -> dict:
    return {
        "unit": {"text": unit_text, "date": "2021年8月9日"},
        "county": {"text": "经审核，情况属实，同意推荐。", "date": "2021年8月12日"},
        "city": {"text": "经市人社局党组研究，同意推荐。", "date": "2021年8月18日"},
        "province": {"text": "", "date": ""},
        "ministry": {"text": "", "date": ""},
    }


def window_approval() -> dict:
    return {
        "org_name": "太原市人力资源和社会保障局",
        "fill_date_cn": format_cn_date(dt.date(2021, 8, 20)),
        "window": dict(XIAODIAN_WINDOW),
        "opinions": _approval_opinions(
            "经中心领导班子集体研究决定，并在本单位公示5个工作日无异议，同意推荐小店区社会保险经办服务大厅"
            "为全国人力资源社会保障系统优质服务窗口。"),
    }


def individual_approval() -> dict:
    return {
        "org_name": "太原市人力资源和社会保障局",
        "fill_date_cn": format_cn_date(dt.date(2021, 8, 20)),
        "person": dict(LI_XIAOMEI),
        "photo": sample_photo(),
        "opinions": _approval_opinions(
            "经中心民主推荐、领导班子集体研究决定，并在本单位公示5个工作日无异议，同意推荐李晓梅同志为"
            "全国人力资源社会保障系统优质服务先进个人。"),
    }


def opinion_form() -> dict:
    return {
        "year": YEAR,
        "person": {
            "name": LI_XIAOMEI["name"],
            "work_unit": LI_XIAOMEI["work_unit"],
            "position": LI_XIAOMEI["position"],
        },
        "opinions": {
            "discipline": {"text": "经查，该同志近三年来无违纪违法问题，未受到党纪政务处分，同意推荐。",
                           "signer": "韩志刚", "date": "2021年10月11日"},
            "organization": {"text": "该同志政治素质好，工作实绩突出，同意推荐。",
                             "signer": "程建平", "date": "2021年10月12日"},
            "police": {"text": "", "signer": "", "date": ""},
        },
    }


def _summary_common() -> dict:
    return {
        "org_name": "山西省人力资源和社会保障厅",
        "fill_date": format_date(dt.date(2021, 10, 20)),
        "contact_name": "王晋",
        "contact_phone": "0351-7676040",
        "fax": "0351-7676041",
    }


WINDOW_ROW_KEYS = ["seq", "name", "nature", "level", "leader_name", "leader_unit_position",
                   "leader_phone", "unit_name", "remarks"]
INDIVIDUAL_ROW_KEYS = ["seq", "name", "gender", "ethnicity", "political_status", "education",
                       "id_number", "work_unit", "unit_nature", "position", "admin_level",
                       "professional_title", "window_start", "window_years", "phone", "remarks"]


def window_summary() -> dict:
    ctx = _summary_common()
    # each row is the whole window, as the documents package passes it (附件5 prints WINDOW_ROW_KEYS)
    ctx["rows"] = [dict(w) for w in WINDOWS]
    return ctx


def individual_summary() -> dict:
    ctx = _summary_common()
    # each row is the whole person, as the documents package passes it (附件6 prints INDIVIDUAL_ROW_KEYS)
    ctx["rows"] = [dict(p) for p in INDIVIDUALS]
    return ctx


def contact_form() -> dict:
    return {
        "org_name": "太原市人力资源和社会保障局",
        "fill_date": format_date(dt.date(2021, 8, 11)),
        "leader_name": "杜文斌",
        "leader_position": "党组成员、副局长",
        "leader_phone": "0351-4221876",
        "leader_mobile": "13903511208",
        "contact_name": "霍丽萍",
        "contact_position": "人事科科长",
        "contact_phone": "0351-4221893",
        "contact_mobile": "13753106617",
        "fax": "0351-4221890",
        "email": "tyrsjrsk@163.com",
        "address": "山西省太原市杏花岭区府西街69号",
        "postcode": "030002",
        "remarks": "",
        "submit_note": "请于2021年8月13日前报送省推荐评选办（电子邮箱：sxrstrcsc@163.com）。",
    }


def publicity_notice() -> dict:
    return {
        "campaign_title": CAMPAIGN_TITLE,
        "title_lines": title_lines(f"关于{CAMPAIGN_TITLE}拟推荐对象的公示"),
        "intro_text": (
            "根据《山西省人力资源和社会保障厅关于推荐评选全国人力资源社会保障系统优质服务窗口和优质服务先进个人的通知》"
            "（晋人社厅函〔2021〕734号）要求，经各市和省直单位逐级推荐、省推荐评选办审核、省人社厅党组研究，"
            "并报人社部评比表彰工作领导小组初审，拟推荐以下2个窗口和1名个人为全国人力资源社会保障系统"
            "优质服务窗口和优质服务先进个人。现予以公示，接受社会监督。"),
        "period_text": format_period(dt.date(2021, 9, 1), dt.date(2021, 9, 7)),
        "objection_unit": "山西省人力资源和社会保障厅人事处",
        "contact_name": "王晋",
        "contact_phone": "0351-7676040",
        "address": "山西省太原市万柏林区滨河西路南段129号省直集中办公区",
        "windows": [dict(WINDOWS[0]), dict(WINDOWS[1], seq=2)],
        "individuals": [dict(LI_XIAOMEI, display_name="李晓梅（女）",
                             unit_position=LI_XIAOMEI["work_unit"] + LI_XIAOMEI["position"])],
        "org_name": "山西省人力资源和社会保障厅",
        "notice_date": format_date(dt.date(2021, 8, 31)),
    }


def _report_common(formal: bool) -> dict:
    stage = "正式" if formal else "初审"
    return {
        "campaign_title": CAMPAIGN_TITLE,
        "title_lines": title_lines(f"关于{CAMPAIGN_TITLE}{stage}推荐工作的报告"),
        "addressee": PROVINCE_OFFICE,
        "org_name": "太原市人力资源和社会保障局",
        "report_text": {
            "opening": f"根据晋人社厅函〔2021〕734号文件要求，我局认真组织开展了{stage}推荐工作，现将有关情况报告如下。",
            "organization": "我局成立了由局长任组长、分管副局长任副组长的推荐评选工作领导小组，领导小组办公室设在人事科，"
                            "负责推荐评选的日常工作。\n8月5日，我局召开推荐评选工作部署会，对推荐条件、程序和纪律作出安排。",
            "process": "按照自下而上、逐级推荐、差额评选、民主择优的方式，各县（市、区）人社部门和市局直属单位组织"
                       "民主推荐，领导班子集体研究确定拟推荐对象，并在本单位进行公示。",
            "consultation": "按照干部管理权限，我局就推荐对象征求了纪检监察部门和组织人事部门意见，均同意推荐。",
            "publicity": "拟推荐对象均在本单位公示5个工作日，公示期间未收到异议。",
            "ranking": "经局党组研究，按推荐名额确定推荐排序如下：",
            "opinion": "经审核，推荐程序规范，推荐材料真实，推荐对象符合评选条件，同意推荐。",
        },
        "counts": {
            "windows_received": 5,
            "individuals_received": 3,
            "windows": 2,
            "grassroots_windows": 1,
            "individuals": 1,
        },
        "publicity": [
            {"seq": 1, "name": "太原市小店区社会保险经办服务大厅", "kind": "窗口", "scope": "本单位",
             "period_text": format_period(dt.date(2021, 8, 2), dt.date(2021, 8, 6)), "result": "无异议"},
            {"seq": 2, "name": "太原市人力资源和社会保障局12333电话咨询服务中心", "kind": "窗口",
             "scope": "本单位", "period_text": format_period(dt.date(2021, 8, 3), dt.date(2021, 8, 9)),
             "result": "无异议"},
            {"seq": 3, "name": "李晓梅", "kind": "个人", "scope": "本单位",
             "period_text": format_period(dt.date(2021, 8, 2), dt.date(2021, 8, 6)), "result": "无异议"},
        ],
        "ranking": [
            {"rank": 1, "kind": "窗口", "name": "太原市小店区社会保险经办服务大厅",
             "unit": "太原市小店区社会保险中心", "remarks": "县级窗口"},
            {"rank": 2, "kind": "窗口", "name": "太原市人力资源和社会保障局12333电话咨询服务中心",
             "unit": "太原市人力资源和社会保障局", "remarks": ""},
            {"rank": 1, "kind": "个人", "name": "李晓梅",
             "unit": "山西省太原市小店区社会保险经办服务大厅", "remarks": "综合受理科科长"},
        ],
        "contact_name": "霍丽萍",
        "contact_phone": "0351-4221893",
        "report_date": format_date(dt.date(2021, 8, 20) if not formal else dt.date(2021, 10, 15)),
    }


def preliminary_report() -> dict:
    ctx = _report_common(formal=False)
    del ctx["report_text"]["consultation"]
    return ctx


def formal_report() -> dict:
    ctx = _report_common(formal=True)
    ctx["consultations"] = [
        {"seq": 1, "name": "李晓梅", "discipline": "同意（2021年10月11日）",
         "organization": "同意（2021年10月12日）", "police": "同意（2021年10月13日）"},
    ]
    return ctx


def _deeds(brief: bool) -> dict:
    items = []
    for seq, (name, kind, unit, basic, text) in enumerate([
        (XIAODIAN_WINDOW["name"], "优质服务窗口", "太原市小店区人力资源和社会保障局",
         "小店区社会保险经办服务大厅隶属于太原市小店区人力资源和社会保障局，属社会保险经办窗口，窗口级别为县（区）级。",
         XIAODIAN_WINDOW["summary"] if brief else XIAODIAN_WINDOW_DEEDS),
        (LI_XIAOMEI["name"], "优质服务先进个人", LI_XIAOMEI["work_unit"],
         "李晓梅，女，汉族，1986年5月生，中共党员，大学本科 管理学学士，2008年7月参加工作。",
         LI_XIAOMEI["summary"] if brief else LI_XIAOMEI_DEEDS)], start=1):
        heading = name if kind.endswith("窗口") else f"{name}（女），{unit}{LI_XIAOMEI['position']}"
        items.append({"seq": seq, "group_seq": 1, "name": name, "heading": heading, "kind": kind, "unit": unit,
                      "basic": basic, "text": text})
    groups = [{"label": "优质服务窗口", "heading": "一、优质服务窗口（1个）", "items": items[:1]},
              {"label": "优质服务先进个人", "heading": "二、优质服务先进个人（1名）", "items": items[1:]}]
    title = f"{CAMPAIGN_TITLE}推荐对象{'简要事迹' if brief else '基本情况和主要事迹'}"
    return {"campaign_title": CAMPAIGN_TITLE, "title_lines": title_lines(title), "org_name": "太原市人力资源和社会保障局",
            "items": items, "groups": groups}


def main_deeds() -> dict:
    return _deeds(brief=False)


def brief_deeds() -> dict:
    return _deeds(brief=True)


SAMPLES = {
    "window_approval": window_approval,
    "individual_approval": individual_approval,
    "opinion_form": opinion_form,
    "window_summary": window_summary,
    "individual_summary": individual_summary,
    "contact_form": contact_form,
    "publicity_notice": publicity_notice,
    "preliminary_report": preliminary_report,
    "formal_report": formal_report,
    "main_deeds": main_deeds,
    "brief_deeds": brief_deeds,
}
