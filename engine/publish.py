"""What the pack publishes about itself: the facts template, the facts JSON Schema, the rule list.

- `facts_template`: a facts file with every fact the pack reads, its labels, unit and an empty
  value, and the previous-year facts the "improve on last year" rules need — for a ward to fill.
- `facts_schema`: the JSON Schema of a facts file for this pack (each fact typed and described).
- `rules_listing`: every rule with its area, requirement ids, points, method and thresholds
  ({"op", "value", "unit"} with the plan's numbers), JSON-ready (`cchc-score rules --format
  json`); the table form is `cchc.reports.rules_table`'s.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cchc.engine.facts.model import Evidence, FactsFile
from cchc.engine.numbers import fmt
from cchc.engine.pack.model import Pack
from cchc.rules.schema import FactSpec, Rule

_TYPE_HINT = {
    "count": ("số nguyên ≥ 0", "whole number ≥ 0"),
    "number": ("số", "number"),
    "boolean": ("true (đã thực hiện) / false (chưa)", "true (done) / false (not done)"),
    "date": ("ngày ban hành 2024-02-01 hoặc 01/02/2024; false nếu chưa thực hiện",
             "issue date 2024-02-01 or 01/02/2024; false if not done"),
    "level": ("một mức", "one level"),
    "rank": ("thứ hạng, 1 là cao nhất", "ranking place, 1 is best"),
}


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _hint(spec: FactSpec, previous: bool = False) -> str:
    vi, en = _TYPE_HINT[spec.type]
    if spec.levels:
        choices = ", ".join(level.id for level in spec.levels)
        vi, en = f"{vi}: {choices}", f"{en}: {choices}"
    low, high = spec.minimum, spec.maximum
    if spec.type == "count" and high is not None:
        vi, en = f"số nguyên từ 0 đến {fmt(high)}", f"whole number from 0 to {fmt(high, 'en')}"
    elif low is not None and high is not None:
        vi, en = (f"{vi} từ {fmt(low)} đến {fmt(high)}",
                  f"{en} from {fmt(low, 'en')} to {fmt(high, 'en')}")
    elif low is not None:
        vi, en = f"{vi} ≥ {fmt(low)}", f"{en} ≥ {fmt(low, 'en')}"
    if spec.type == "number":
        vi += ", dấu chấm thập phân, không phân cách hàng nghìn"
        en += ", decimal point, no thousands separator"
    if spec.evidence_required and not previous:  # last year's values were appraised then
        vi += "; cần tài liệu kiểm chứng"
        en += "; evidence required"
    if spec.edition and previous:
        vi += '; kết quả chỉ số: ghi kỳ đánh giá năm trước ("edition")'
        en += '; an index result: give last year\'s edition ("edition")'
    elif spec.edition:
        vi += ('; kết quả chỉ số: ghi kỳ đánh giá ("edition"), hoặc "pending": true nếu kỳ năm nay '
               "chưa công bố")
        en += ('; an index result: give its edition ("edition"), or "pending": true if this '
               "year's is not yet published")
    text = f"{vi} / {en}"
    if spec.hint:
        text += f". {spec.hint.vi} / {spec.hint.en}"
    return text


def _template_entry(spec: FactSpec, with_evidence: bool, year: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"value": None, "label_vi": spec.label.vi, "label_en": spec.label.en}
    if spec.edition:  # an index result: which edition, or not yet published
        entry["edition"] = year
    if spec.unit:
        entry["unit"] = f"{spec.unit.vi} / {spec.unit.en}"
    entry["hint"] = _hint(spec, previous=not with_evidence)
    if with_evidence:
        entry["evidence"] = []
    return entry


def facts_template(pack: Pack) -> dict[str, Any]:
    """A facts file to fill in: every fact, labelled, empty (null = no data yet)."""
    return {
        "unit": {"ward": "", "city": "", "province": ""},
        "year": pack.meta.year,
        "pack": pack.meta.id,
        "prepared_by": "",
        "prepared_on": "",
        "facts": {name: _template_entry(spec, True, pack.meta.year)
                  for name, spec in pack.facts.items()},
        "previous_year": {
            "year": pack.meta.year - 1,
            "facts": {name: _template_entry(pack.facts[name], False, pack.meta.year - 1)
                      for name in pack.previous_year_facts()},
        },
    }


def _value_schema(spec: FactSpec) -> dict[str, Any]:
    if spec.type in ("count", "rank"):
        schema: dict[str, Any] = {"type": ["integer", "null"],
                                  "minimum": 0 if spec.type == "count" else 1}
        if spec.maximum is not None:
            schema["maximum"] = _plain_number(spec.maximum)
        return schema
    if spec.type == "number":
        schema = {"type": ["number", "null"]}
        if spec.minimum is not None:
            schema["minimum"] = _plain_number(spec.minimum)
        if spec.maximum is not None:
            schema["maximum"] = _plain_number(spec.maximum)
        return schema
    if spec.type == "boolean":
        return {"type": ["boolean", "null"]}
    if spec.type == "date":
        return {"anyOf": [
            {"type": "string", "pattern": r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"},
            {"const": False}, {"type": "null"}]}
    assert spec.levels is not None
    return {"enum": [level.id for level in spec.levels] + [None]}


def _fact_schema(spec: FactSpec, edition: int) -> dict[str, Any]:
    value = _value_schema(spec)
    extra: dict[str, Any] = {}
    if spec.edition:  # an index result names its edition; this year's may be pending
        extra["edition"] = {"const": edition}
        extra["pending"] = {"type": "boolean"}
    bare = {"type": "null"} if spec.edition else value
    return {
        "description": f"{spec.label.vi} / {spec.label.en}",
        "anyOf": [bare, {
            "type": "object", "additionalProperties": False,
            "properties": {
                "value": value, **extra,
                "evidence": {"type": "array", "items": {"$ref": "#/$defs/Evidence"}},
                "note": {"type": ["string", "null"]},
                "label_vi": {"type": ["string", "null"]}, "label_en": {"type": ["string", "null"]},
                "unit": {"type": ["string", "null"]}, "hint": {"type": ["string", "null"]},
            },
        }],
    }


def facts_schema(pack: Pack) -> dict[str, Any]:
    """The JSON Schema (2020-12) of a facts file for `pack`."""
    schema = FactsFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"cchc-score facts file — {pack.meta.id}"
    schema["description"] = (f"Dữ kiện tự đánh giá CCHC năm {pack.meta.year} / "
                             f"CCHC self-assessment facts for {pack.meta.year}")
    defs = schema.setdefault("$defs", {})
    defs["Evidence"] = Evidence.model_json_schema()
    defs["Evidence"]["anyOf"] = [{"required": ["number"]}, {"required": ["title"]},
                                 {"required": ["file"]}]
    schema["properties"]["prepared_on"] = {
        "anyOf": [{"type": "string", "pattern": r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"},
                  {"type": "null"}]}
    schema["properties"]["year"] = {"const": pack.meta.year}
    schema["properties"]["facts"] = {
        "type": "object", "additionalProperties": False,
        "properties": {name: _fact_schema(spec, pack.meta.year)
                       for name, spec in pack.facts.items()}}
    previous = {name: _fact_schema(pack.facts[name], pack.meta.year - 1)
                for name in pack.previous_year_facts()}
    defs["PreviousYear"]["properties"]["facts"] = {
        "type": "object", "additionalProperties": False, "properties": previous}
    return schema


def threshold_unit(pack: Pack, rule: Rule) -> str | None:
    """The unit of the value a rule tests (Vietnamese), if it has one."""
    unit = pack.unit_of(rule.test.metric)
    return unit.vi if unit else None


def thresholds(pack: Pack, rule: Rule) -> list[dict[str, Any]]:
    """The rule's target as [{"op", "value", "unit"}], with the plan's numbers."""
    test = rule.test
    if test.op == "done_by":
        assert test.deadline is not None and test.window_from is not None
        return [{"op": ">=", "value": test.window_from.isoformat(), "unit": "date"},
                {"op": "<=", "value": test.deadline.isoformat(), "unit": "date"}]
    if isinstance(test.value, bool):
        return [{"op": "==", "value": test.value, "unit": None}]
    assert isinstance(test.value, Decimal)
    return [{"op": test.op, "value": _plain_number(test.value), "unit": threshold_unit(pack, rule)}]


def rules_listing(pack: Pack) -> list[dict[str, Any]]:
    """Every rule as a JSON-ready dict: id, area, requirements, points, thresholds and more."""
    out = []
    for rule in pack.rules:
        out.append({
            "id": rule.id, "area": rule.area, "requirements": list(rule.requirements),
            "title": rule.title.model_dump(), "points": _plain_number(rule.points),
            "metric": rule.test.metric, "thresholds": thresholds(pack, rule),
            "scoring": rule.scoring.model_dump(mode="json"),
            "convention": rule.convention,
            "evidence_required": pack.needs_evidence(rule.test.metric),
            "reading": rule.reading.model_dump(), "source": rule.source.model_dump(),
            "quote": rule.quote,
            "departs_from_text": rule.departs_from_text.model_dump()
            if rule.departs_from_text else None,
        })
    return out
