"""What the tool publishes about a pack (facts template, JSON Schema, rule listing and table)
carries that pack's year, unit and labels, never the shipped plan's: a 2031 pack for another
ward yields no "2024" and no "Phường 5"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cchc.engine.pack.load import load_pack
from cchc.engine.pack.model import Pack
from cchc.engine.publish import facts_schema, facts_template, rules_listing
from cchc.reports.rules_table import rules_table

# The shipped plan's specifics, and what a 2031 plan of another ward writes instead (29/02
# first: 2031 is no leap year).
_RENAMES = (("2024-02-29", "2031-02-28"), ("29/02/2024", "28/02/2031"), ("2024", "2031"),
            ("2023", "2030"), ("Phường 5", "Phường An Hòa"), ("Phuong 5", "Phuong An Hoa"),
            ("Ward 5", "An Hoa Ward"), ("phuong5", "anhoa"))


@pytest.fixture()
def pack_2031(pack_copy: Path) -> Pack:
    for path in pack_copy.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for old, new in _RENAMES:
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return load_pack(pack_copy, str(pack_copy))


def _texts(pack: Pack) -> dict[str, str]:
    return {
        "template": json.dumps(facts_template(pack), ensure_ascii=False),
        "schema": json.dumps(facts_schema(pack), ensure_ascii=False),
        "listing": json.dumps(rules_listing(pack), ensure_ascii=False),
        "table vi": rules_table(pack, "vi"),
        "table en": rules_table(pack, "en"),
    }


def test_a_2031_pack_of_another_ward_publishes_nothing_of_the_shipped_plan(pack_2031):
    assert pack_2031.meta.year == 2031
    for name, text in _texts(pack_2031).items():
        for shipped in ("2024", "2023", "Phường 5", "Phuong 5", "ban hành ≤", "issued ≤"):
            assert shipped not in text, (name, shipped)
    template = facts_template(pack_2031)
    assert template["year"] == 2031 and template["previous_year"]["year"] == 2030


def test_a_dated_facts_hint_says_what_the_date_is_and_when_it_is_on_time(pack_2031):
    facts = facts_template(pack_2031)["facts"]
    dated = [name for name, spec in pack_2031.facts.items() if spec.type == "date"]
    assert dated
    for name in dated:
        hint, label = facts[name]["hint"], pack_2031.facts[name].label
        assert hint.startswith(f"{label.vi}: ngày dạng 2031-03-15 hoặc 15/03/2031"), hint
        assert f"/ {label.en}: a date as 2031-03-15 or 15/03/2031" in hint
        rules = [r for r in pack_2031.rules if r.test.metric == name]
        for rule in rules:
            assert rule.test.deadline is not None and rule.test.window_from is not None
            window = (f"đúng hạn nếu từ {rule.test.window_from:%d/%m/%Y} đến "
                      f"{rule.test.last_day:%d/%m/%Y} ({rule.id})")  # "trước ngày D": D − 1
            assert window in hint


def test_the_shipped_template_names_its_own_year(pack):
    """The same hints for the shipped pack: its year, not a fixed one (the check above could
    pass by printing no date at all)."""
    hint = facts_template(pack)["facts"]["ngay_ban_hanh_ke_hoach_cchc"]["hint"]
    assert "ngày dạng 2024-03-15 hoặc 15/03/2024" in hint
    assert "đúng hạn nếu từ 01/01/2024 đến 29/02/2024 (CDDH-01)" in hint
