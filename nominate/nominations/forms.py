"""The nomination form, built from the one field registry (nominations/fields.py).

The form only collects raw text; the operations validate every value, and their errors are shown
next to the field they name (web.forms.apply_errors)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField

from nominate.nominations import fields as F
from nominate.nominations import standards
from nominate.core.forms import CleanForm, select_choices
from nominate.nominations.validation import deeds_limit
from nominate.nominations.operations import DATE_FIELDS, ENUM_FIELDS, INT_FIELDS, PHONE_FIELDS

#: fieldsets of the page, in order: (legend, field names)
SECTIONS = [
    ("窗口基本情况", ["window_name", "window_category", "window_level", "parent_unit_name", "leader_name",
                    "leader_position", "leader_title", "leader_phone", "staff_count", "address",
                    "postcode"]),
    ("个人基本情况", ["person_name", "id_number", "gender", "birth_date", "ethnicity", "political_status",
                    "education", "degree", "work_unit", "position", "professional_title", "work_start", "system_start",
                    "window_start", "phone"]),
    ("单位性质与级别", ["unit_nature", "admin_rank", "rank_justification"]),
    ("{clean_since}年以来无违法违纪情况", ["clean_record_attested_by", "clean_record_attested_on"]),
    ("事迹材料", ["main_deeds", "brief_deeds", "remarks"]),
]

HINTS = {
    "id_number": "18位；校验位按 GB 11643 检查，出生日期与性别据此自动填写",
    "gender": "可不选，自动取自身份证号", "birth_date": "可不填，自动取自身份证号",
    "window_level": "{grassroots}窗口计为基层窗口",
    "admin_rank": "{forbidden_words}；{advisory_words}，高于{advisory}的须填写推荐说明",
    "rank_justification": "行政级别高于{advisory}时必填：说明推荐理由",
    "ethnicity": "按 GB/T 3304", "political_status": "按 GB/T 4762", "education": "按 GB/T 4658，填最高学历",
    "degree": "如：管理学学士；无学位的不填",
    "system_start": "须在人社系统工作满{years}年（含）",
    "work_unit": "格式：XX省XX市XX县XX窗口",
    "remarks": "曾获省部级以上表彰、人社服务标兵及练兵比武名次（荣誉库中的记录会自动列入）",
    "phone": "手机号或带区号的固定电话", "leader_phone": "手机号或带区号的固定电话",
    "leader_position": "附件5 填写，如：太原市小店区社会保险中心主任",
    "leader_title": "附件2 填写，仅职务，如：主任", "postcode": "6位数字",
}


def rule_words(campaign) -> dict:
    """The campaign's numbers in the words the hints and legends use."""
    from nominate.nominations.enums import WindowLevel

    rules = campaign.rules
    return {"grassroots": "、".join(WindowLevel.label_of(level) for level in sorted(rules.grassroots_levels,
                                                                                   key=list(WindowLevel._value2member_map_).index)),
            "forbidden": rules.forbidden_from_rank or "—", "advisory": rules.advisory_max_rank or "—",
            "years": rules.min_system_years, "forbidden_words": rules.wording["forbidden"],
            "advisory_words": rules.wording["advisory"],
            "clean_since": rules.clean_record_since.year if rules.clean_record_since else ""}


def hints_for(campaign) -> dict[str, str]:
    words = rule_words(campaign)
    return {name: text.format(**words) for name, text in HINTS.items()}


def _select(label, pairs, kw):
    """A select whose value the operation checks (validate_choice off: one rule, one message)."""
    return SelectField(label, choices=select_choices(pairs, blank="请选择"), validate_choice=False, **kw)


def _field(spec: F.FieldSpec, campaign):
    kw = {"render_kw": {}}
    if spec.name in HINTS:
        kw["render_kw"]["aria-describedby"] = f"{spec.name}-hint"
    standard = standards.for_field(spec.name)
    if standard is not None:
        return _select(spec.label, standard.choices(), kw)
    if spec.name in ENUM_FIELDS:
        return _select(spec.label, ENUM_FIELDS[spec.name].choices(), kw)
    if spec.name == "admin_rank":
        return _select(spec.label, [(r, r) for r in campaign.rules.admin_ranks], kw)
    if spec.name in ("main_deeds", "brief_deeds"):
        limit = deeds_limit(spec.name, campaign.rules)
        kw["render_kw"].update({"data-max": limit, "rows": 14 if spec.name == "main_deeds" else 6,
                                "aria-describedby": f"{spec.name}-counter"})
        return TextAreaField(spec.label, **kw)
    if spec.name in ("rank_justification", "remarks"):
        return TextAreaField(spec.label, **kw)
    if spec.name in DATE_FIELDS:
        kw["render_kw"]["type"] = "date"
    elif spec.name in INT_FIELDS:
        kw["render_kw"].update({"type": "number", "min": 1})
    elif spec.name in PHONE_FIELDS:
        kw["render_kw"]["type"] = "tel"
    return StringField(spec.label, **kw)


def nomination_form(kind: str, campaign, **kwargs) -> FlaskForm:
    """A form for ``kind`` (window / individual) with the campaign's choices and limits."""
    attrs = {spec.name: _field(spec, campaign) for spec in F.FIELDS if kind in spec.kinds}
    form_cls = type(f"NominationForm_{kind}", (CleanForm,), attrs)
    form = form_cls(**kwargs)
    for f in form:
        standard = standards.for_field(f.name)
        if standard is not None and f.data and standard.find(f.data) is None:
            # a value stored before the lists (or imported): shown as it is, never silently blanked; saving it
            # is refused naming the list, so the user picks the standard's entry
            f.choices = list(f.choices) + select_choices(
                [(f.data, f"{f.data}（不在{standard.standard.split('《')[0]}中，请重新选择）")])
        spec = F.BY_NAME.get(f.name)
        f.flags.required = bool(spec and spec.required and f.name not in ("gender", "birth_date"))
    return form


def sections_for(form, campaign) -> list[tuple[str, list]]:
    words, out = rule_words(campaign), []
    for legend, names in SECTIONS:
        present = [form[n] for n in names if n in form]
        if present:
            out.append((legend.format(**words), present))
    return out


def form_values(form) -> dict:
    """The raw submitted values (strings) for the operations to validate."""
    return {f.name: f.data for f in form if f.name in F.BY_NAME}


def model_values(nom) -> dict:
    """Current values as the form shows them."""
    out = {}
    for spec in F.FIELDS:
        if nom.kind.value not in spec.kinds:
            continue
        v = getattr(nom, spec.name)
        out[spec.name] = "" if v is None else (v.value if hasattr(v, "value") else
                                               v.isoformat() if hasattr(v, "isoformat") else str(v))
    return out


class PhotoForm(FlaskForm):
    photo = FileField("2寸蓝底彩色证件照（JPEG/PNG，宽:高=35:49）")
