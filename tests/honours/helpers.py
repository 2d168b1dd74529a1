"""Shared builders for the honours tests."""
from __future__ import annotations

from nominate.core.db import unit_of_work
from nominate.honours import operations as hops


def person_honour(actor, id_number, **over):
    data = {"holder_kind": "person", "person_name": "张晓梅", "id_number": id_number, "organisation": "taiyuan",
            "title": "全省人社“知识通”", "level": "province", "kind": "competition_title",
            "competition": "", "year": 2020, "issuing_body": "山西省人力资源和社会保障厅",
            "document_number": "晋人社厅函〔2020〕166号"}
    data.update(over)
    with unit_of_work():
        return hops.create_honour(actor, data)


def unit_honour(actor, unit_name, **over):
    data = {"holder_kind": "unit", "unit_name": unit_name, "organisation": "taiyuan", "title": "团体一等奖",
            "level": "province", "kind": "team_prize", "competition": "全省练兵比武选拔赛", "year": 2021}
    data.update(over)
    with unit_of_work():
        return hops.create_honour(actor, data)
