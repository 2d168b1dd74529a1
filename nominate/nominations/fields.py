"""The nomination's fields with their Chinese labels and which are required for which kind.

One registry serves the API schema (titles), the forms (labels) and the completeness guard.
"""
from __future__ import annotations

from dataclasses import dataclass

from nominate.core.masking import mask_id, mask_phone
from nominate.nominations import standards

W, I, B = ("window",), ("individual",), ("window", "individual")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kinds: tuple[str, ...]
    required: bool = True
    sensitive: bool = False


FIELDS: list[FieldSpec] = [
    FieldSpec("window_name", "窗口名称", W),
    FieldSpec("window_category", "窗口性质（类别）", W),
    FieldSpec("window_level", "窗口级别", W),
    FieldSpec("parent_unit_name", "窗口所属单位名称", W),
    FieldSpec("leader_name", "窗口负责人姓名", W),
    FieldSpec("leader_position", "窗口负责人单位及职务", W),
    FieldSpec("leader_title", "窗口负责人职务", W, required=False),
    FieldSpec("leader_phone", "窗口负责人联系电话", W, sensitive=True),
    FieldSpec("staff_count", "窗口工作人员数", W, required=False),
    FieldSpec("address", "窗口地址", W, required=False),
    FieldSpec("postcode", "邮政编码", W, required=False),
    FieldSpec("person_name", "姓名", I),
    FieldSpec("id_number", "身份证号", I, sensitive=True),
    FieldSpec("gender", "性别", I),
    FieldSpec("birth_date", "出生日期", I),
    FieldSpec("ethnicity", "民族", I),
    FieldSpec("political_status", "政治面貌", I),
    FieldSpec("education", "学历", I),
    FieldSpec("degree", "学位", I, required=False),
    FieldSpec("work_unit", "工作单位", I),
    FieldSpec("position", "职务", I),
    FieldSpec("professional_title", "职称", I, required=False),
    FieldSpec("work_start", "参加工作时间", I, required=False),
    FieldSpec("system_start", "参加人社系统工作时间", I),
    FieldSpec("window_start", "到窗口工作时间", I),
    FieldSpec("phone", "联系电话", I, sensitive=True),
    FieldSpec("unit_nature", "单位性质", B),
    FieldSpec("admin_rank", "行政级别", B),
    FieldSpec("rank_justification", "推荐说明", I, required=False),
    FieldSpec("clean_record_attested_by", "无违法违纪情况证明人", W),
    FieldSpec("clean_record_attested_on", "证明日期", W),
    FieldSpec("main_deeds", "主要事迹", B),
    FieldSpec("brief_deeds", "简要事迹", B),
    FieldSpec("remarks", "备注", B, required=False),
]

BY_NAME = {f.name: f for f in FIELDS}
EDITABLE = [f.name for f in FIELDS]
#: the fields shown masked to whoever may not see the full identity (the page, the API, lists)
SENSITIVE = tuple(f.name for f in FIELDS if f.sensitive)


def mask_value(name: str, value):
    """How a sensitive field is masked: the 身份证号 as a 身份证号, the others as phone numbers."""
    return mask_id(value) if name == "id_number" else mask_phone(value)


def label(name: str) -> str:
    spec = BY_NAME.get(name)
    return spec.label if spec else name


def description(name: str) -> str | None:
    """What the API document says of a field beyond its label: a national standard's list (standards.yaml)."""
    standard = standards.for_field(name)
    if standard is None:
        return None
    return (f"{standard.standard}的名称之一（也接受代码和常见简称，如“汉”“党员”“本科”，保存为标准名称）："
            + "、".join(standard.names()))


def required_for(kind: str) -> list[FieldSpec]:
    return [f for f in FIELDS if kind in f.kinds and f.required]
