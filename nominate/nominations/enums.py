from nominate.core.enums import LabelledEnum
from nominate.workflow.states import NominationState  # noqa: F401  (derived from the workflow file)


class NominationKind(LabelledEnum):
    WINDOW = ("window", "优质服务窗口")
    INDIVIDUAL = ("individual", "优质服务先进个人")


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
