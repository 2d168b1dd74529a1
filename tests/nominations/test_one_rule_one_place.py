"""One rule, one place: each rule is written once and called by the guard, the form, the page and the API alike.

The behaviour is tested where each rule is used; this test holds the shape: the campaign values a rule
reads (its limits, which kinds need a photo) are read only in the rule's own function, and the page and
the API mask a nomination's sensitive fields through the one function that knows which fields they are."""
import ast
from pathlib import Path

import pytest

from nominate.campaigns.loader import load_campaign
from nominate.nominations import fields as F
from nominate.nominations import validation as V

PACKAGE = Path(__file__).resolve().parents[2] / "nominate"

#: campaign value → the one module allowed to read it (besides campaigns/, which loads it)
RULE_HOMES = {
    "main_deeds_max": "nominations/validation.py",
    "brief_deeds_max": "nominations/validation.py",
    "photo_required_for": "nominations/validation.py",
}


def _readers(attribute: str) -> set[str]:
    out = set()
    for path in PACKAGE.rglob("*.py"):
        rel = str(path.relative_to(PACKAGE))
        if rel.startswith("campaigns/"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == attribute:
                out.add(rel)
    return out


@pytest.mark.parametrize("attribute,home", sorted(RULE_HOMES.items()))
def test_a_campaign_rule_is_read_in_one_place(attribute, home):
    assert _readers(attribute) == {home}


def test_masking_of_nomination_fields_is_one_function():
    offenders = []
    for rel in ("nominations/page.py", "nominations/schemas.py"):  # the page and the API
        tree = ast.parse((PACKAGE / rel).read_text("utf-8"))
        offenders += [f"{rel}:{n.lineno}" for n in ast.walk(tree)
                      if isinstance(n, ast.Name) and n.id in ("mask_id", "mask_phone")]
    assert offenders == []
    assert set(F.SENSITIVE) == {"id_number", "phone", "leader_phone"}
    assert F.mask_value("id_number", "140105198503121002") == "140105********1002"
    assert F.mask_value("phone", "13812345678") == "138****5678"


def test_the_rule_functions_answer_from_the_campaign(ctx):
    from tests.conftest import SHANXI

    campaign = load_campaign(SHANXI)
    rules = campaign.rules
    assert V.deeds_limit("main_deeds", rules) == 2000 and V.deeds_limit("brief_deeds", rules) == 500
    assert V.deeds_problem("brief_deeds", "简要事迹", "字" * 501, rules) == (
        "brief_deeds_too_long", "简要事迹超出 500 字（当前 501 字，超出 1 字）", "brief_deeds")
