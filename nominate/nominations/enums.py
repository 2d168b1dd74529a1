from nominate.core.enums import LabelledEnum


class NominationKind(LabelledEnum):
    WINDOW = ("window", "优质服务窗口")
    INDIVIDUAL = ("individual", "优质服务先进个人")


class NominationState(LabelledEnum):
    DRAFT = ("draft", "草稿")
    UNIT_PUBLICITY = ("unit_publicity", "本单位公示中")
    CITY_REVIEW = ("city_review", "市级审核中")
    CITY_RECOMMENDED = ("city_recommended", "市级已推荐")
    PROVINCE_REVIEW = ("province_review", "省级审核中")
    RETURNED = ("returned", "退回修改")
    PROVINCE_SELECTED = ("province_selected", "省级初审推荐对象")
    MINISTRY_PRELIMINARY = ("ministry_preliminary", "人社部初审中")
    FORMAL_MATERIALS = ("formal_materials", "正式材料与征求意见")
    PROVINCE_PUBLICITY = ("province_publicity", "省级公示中")
    PROVINCE_PUBLICIZED = ("province_publicized", "省级公示无异议")
    SUBMITTED_TO_MINISTRY = ("submitted_to_ministry", "已报人社部复审")
    NATIONAL_PUBLICITY = ("national_publicity", "全国公示中")
    AWARDED = ("awarded", "已表彰")
    NOT_SELECTED = ("not_selected", "未入选")
    MINISTRY_REJECTED = ("ministry_rejected", "部审未通过")
    WITHDRAWN = ("withdrawn", "已撤回")
    DISQUALIFIED = ("disqualified", "异议属实取消")
    REVOKED = ("revoked", "已撤销")


class WindowCategory(LabelledEnum):
    PUBLIC_EMPLOYMENT = ("public_employment", "公共就业和人才服务")
    SOCIAL_INSURANCE = ("social_insurance", "社会保险经办")
    PERSONNEL_TALENT = ("personnel_talent", "人事人才服务")
    ARBITRATION = ("arbitration", "劳动人事争议调解仲裁")
    LABOUR_INSPECTION = ("labour_inspection", "劳动保障监察")
    SKILLS_APPRAISAL = ("skills_appraisal", "职业技能鉴定")
    HOTLINE_12333 = ("hotline_12333", "12333电话咨询服务")
    PERSONNEL_EXAM = ("personnel_exam", "人事考试")
    PETITION = ("petition", "信访")
    ONLINE = ("online", "线上服务")
    GRASSROOTS_STATION = ("grassroots_station", "乡镇（街道）、社区就业和社会保险服务所（站）")
    ADMIN_DEPARTMENT = ("admin_department", "行政部门")


class WindowLevel(LabelledEnum):
    PROVINCE = ("province", "省级")
    CITY = ("city", "市级")
    COUNTY = ("county", "县（区）级")
    TOWNSHIP = ("township", "乡镇（街道）")
    COMMUNITY = ("community", "社区")


class UnitNature(LabelledEnum):
    ORGAN = ("organ", "机关")
    CIVIL_SERVICE_MANAGED = ("civil_service_managed", "参公单位")
    PUBLIC_INSTITUTION = ("public_institution", "事业单位")
    ENTERPRISE = ("enterprise", "企业")
    OTHER = ("other", "其他")


class Gender(LabelledEnum):
    MALE = ("male", "男")
    FEMALE = ("female", "女")
