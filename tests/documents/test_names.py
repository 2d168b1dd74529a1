"""Names and lines as officials print them: 按姓氏笔画 from Unihan, 王　强, unit + 职务 once, titles in lines."""
from __future__ import annotations

from pathlib import Path

import yaml

from form_templates import title_lines
from nominate.documents import context
from nominate.documents.names import join_unit_position, padded, stroke_key, strokes, surname

ROOT = Path(__file__).resolve().parents[2]


def test_stroke_counts_come_from_unihan():
    assert [strokes(c) for c in "王马张李赵高欧阳"] == [4, 3, 7, 7, 9, 10, 8, 6]
    assert strokes("A") is None


def test_publicity_order_is_by_surname_strokes_then_given_name():
    names = ["高云", "张晓梅", "马志刚", "王海燕", "赵丽娟", "欧阳明", "张建", "李秀英"]
    ordered = sorted(names, key=stroke_key)
    assert ordered[:2] == ["马志刚", "王海燕"] and ordered[-1] == "欧阳明"  # 3, 4 … 欧阳 8+6
    assert ordered.index("张建") < ordered.index("张晓梅")  # same surname: 建 8 before 晓 10
    assert ordered.index("赵丽娟") < ordered.index("高云")  # 9 before 10
    assert surname("欧阳明") == "欧阳" and surname("王　强") == "王"


def test_two_character_names_are_padded_with_a_full_width_space():
    assert padded("王强") == "王\u3000强" and padded("张晓梅") == "张晓梅" and padded("Li") == "Li"


def test_unit_and_position_are_joined_without_repeating_a_phrase():
    unit = "山西省太原市迎泽区人力资源和社会保障局社保经办窗口"
    assert join_unit_position(unit, "社保经办窗口科员") == unit + "科员"
    assert join_unit_position(unit, "科员") == unit + "科员"
    assert join_unit_position("山西省社会保险中心", "待遇核定科科员") == "山西省社会保险中心待遇核定科科员"


def test_long_titles_break_between_words():
    assert title_lines("关于全国人力资源社会保障系统优质服务窗口和优质服务先进个人拟推荐对象的公示") == [
        "关于全国人力资源社会保障系统", "优质服务窗口和优质服务先进个人", "拟推荐对象的公示"]
    assert title_lines("全国人社系统优质服务先进个人") == ["全国人社系统优质服务先进个人"]


def test_the_province_reports_to_the_ministrys_leading_group_as_the_seed_says():
    assert context.MINISTRY_OFFICE == "人社部评比表彰工作领导小组"
    shanxi = yaml.safe_load((ROOT / "workflows/campaigns/shanxi-2021.yaml").read_text(encoding="utf-8"))
    assert shanxi["ministry_office"] == "人社部评比表彰工作领导小组"
