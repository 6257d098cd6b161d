"""What the pack publishes about itself: the facts template, the facts JSON Schema, the rule list.

- `facts_template`: a facts file with every fact the pack reads, its labels, unit and an empty
  value, and the previous-year facts the "improve on last year" rules need — for a ward to fill.
- `facts_schema`: the JSON Schema of a facts file for this pack (each fact typed and described).
- `rules_listing`: every rule with its area, requirement ids, points, method and thresholds
  ({"op", "value", "unit"} with the plan's numbers), JSON-ready (`cchc-score rules --format
  json`); the table form is `cchc.reports.rules_table`'s.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cchc.engine.dates import format_date
from cchc.engine.facts.check import MAX_CELL_TEXT, MAX_ROWS
from cchc.engine.facts.model import Evidence, FactsFile
from cchc.engine.numbers import fmt
from cchc.engine.pack.model import Pack
from cchc.rules.schema import FactSpec, Rule

_DATED = ("done_by", "before")

_TYPE_HINT = {
    "count": ("số nguyên ≥ 0", "whole number ≥ 0"),
    "number": ("số", "number"),
    "boolean": ("true (đã thực hiện) / false (chưa)", "true (done) / false (not done)"),
    "date": ("ngày dạng {iso} hoặc {vn}; false nếu chưa thực hiện",
             "a date as {iso} or {vn}; false if not done"),
    "level": ("một mức", "one level"),
    "rank": ("thứ hạng, 1 là cao nhất", "ranking place, 1 is best"),
    "dates": ("danh sách ngày", "a list of dates"),
    "table": ("danh sách dòng, mỗi dòng một đối tượng", "a list of rows, each an object"),
}


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def plain_tests(test: Any) -> list[Any]:
    """The plain tests a rule's test is made of: itself, or each part of `{all|any: [...]}`."""
    parts = getattr(test, "parts", None)
    return list(parts) if parts is not None else [test]


def _last_day(part: Any) -> Any:
    """The last day on time of a dated test: "trước ngày D" (before) ends the day before D."""
    return part.deadline - dt.timedelta(days=1) if part.op == "before" else part.deadline


def date_windows(pack: Pack, name: str) -> tuple[str, str]:
    """When each rule that reads the dated fact `name` counts it on time, (vi, en): "đúng hạn
    từ 01/01 đến 29/02 (CDDH-01)"; empty when no rule dates it."""
    vi, en = [], []
    for rule in pack.rules:
        for part in plain_tests(rule.test):
            if getattr(part, "metric", None) != name or getattr(part, "op", None) not in _DATED:
                continue
            opens, last = format_date(part.window_from), format_date(_last_day(part))
            vi.append(f"đúng hạn nếu từ {opens} đến {last} ({rule.id})")
            en.append(f"on time from {opens} to {last} ({rule.id})")
    return "; ".join(vi), "; ".join(en)


def fact_hint(spec: FactSpec, previous: bool, year: int,
              windows: tuple[str, str] = ("", "")) -> str:
    """What to type for a fact, in Vietnamese then English (the template's "hint")."""
    vi, en = _TYPE_HINT.get(spec.type, (spec.type, spec.type))
    if spec.type == "date":  # what the date is (its label), typed on a day of its year
        day = dt.date(year, 3, 15)
        forms = {"iso": day.isoformat(), "vn": format_date(day)}
        vi = f"{spec.label.vi}: {vi.format(**forms)}"
        en = f"{spec.label.en}: {en.format(**forms)}"
        if windows[0]:
            vi, en = f"{vi}; {windows[0]}", f"{en}; {windows[1]}"
    if spec.levels:
        choices = ", ".join(level.id for level in spec.levels)
        vi, en = f"{vi}: {choices}", f"{en}: {choices}"
    if spec.answers is not None:  # a yes/no fact that says its own answers
        vi = (f"true ({spec.answers.if_true.vi}) / false ({spec.answers.if_false.vi})")
        en = (f"true ({spec.answers.if_true.en}) / false ({spec.answers.if_false.en})")
    if spec.type == "dates":
        example = dt.date(year, 3, 15).isoformat()
        vi, en = f'{vi}, ví dụ ["{example}", …]', f'{en}, e.g. ["{example}", …]'
    if spec.columns:  # what each row holds, so a clerk can fill the table from the template
        kinds = {"text": ("chữ", "text"), "count": ("số nguyên", "whole number"),
                 "number": ("số", "number"), "date": ("ngày, false nếu chưa làm",
                                                      "date, false if not done yet")}
        vi += "; mỗi dòng {" + ", ".join(
            f'"{name}": {column.label.vi} ({kinds[column.type][0]})'
            for name, column in spec.columns.items()) + "}"
        en += "; each row {" + ", ".join(
            f'"{name}": {column.label.en} ({kinds[column.type][1]})'
            for name, column in spec.columns.items()) + "}"
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


def _template_entry(pack: Pack, name: str, with_evidence: bool, year: int) -> dict[str, Any]:
    spec = pack.facts[name]
    entry: dict[str, Any] = {"value": None, "label_vi": spec.label.vi, "label_en": spec.label.en}
    if spec.edition:  # an index result: which edition, or not yet published
        entry["edition"] = year
    if spec.unit:
        entry["unit"] = f"{spec.unit.vi} / {spec.unit.en}"
    windows = date_windows(pack, name) if spec.type == "date" and with_evidence else ("", "")
    entry["hint"] = fact_hint(spec, not with_evidence, year, windows)
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
        "facts": {name: _template_entry(pack, name, True, pack.meta.year)
                  for name in pack.facts},
        "previous_year": {
            "year": pack.meta.year - 1,
            "facts": {name: _template_entry(pack, name, False, pack.meta.year - 1)
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
    if spec.type == "dates":
        return {"type": ["array", "null"], "maxItems": MAX_ROWS, "items": _DATE_SCHEMA}
    if spec.type == "table":
        assert spec.columns is not None
        cells: dict[str, Any] = {
            name: {"description": f"{column.label.vi} / {column.label.en}",
                   **({"type": ["string", "null"], "maxLength": MAX_CELL_TEXT}
                      if column.type == "text" else
                      {"anyOf": [_DATE_SCHEMA, {"const": False}]} if column.type == "date"
                      else {"type": "integer", "minimum": 0} if column.type == "count"
                      else {"type": "number", "minimum": 0})}
            for name, column in spec.columns.items()}
        return {"type": ["array", "null"], "maxItems": MAX_ROWS, "items": {
            "type": "object", "additionalProperties": False, "properties": cells,
            "required": [name for name, column in spec.columns.items()
                         if column.type != "text"]}}
    assert spec.levels is not None
    return {"enum": [level.id for level in spec.levels] + [None]}


_DATE_SCHEMA = {"type": "string", "pattern": r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"}


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


def threshold_unit(pack: Pack, rule: Rule, metric: str | None = None) -> str | None:
    """The unit of the value a rule (or the part of it reading `metric`) tests (Vietnamese),
    if it has one."""
    unit = pack.unit_of(metric or rule.test.metric)
    return unit.vi if unit else None


def thresholds(pack: Pack, rule: Rule) -> list[dict[str, Any]]:
    """The rule's target as [{"op", "value", "unit"}], with the plan's numbers; a compound
    test lists each part's, each with its "metric"."""
    parts = plain_tests(rule.test)
    out: list[dict[str, Any]] = []
    for part in parts:
        if part.op in _DATED:
            assert part.deadline is not None and part.window_from is not None
            items = [{"op": ">=", "value": part.window_from.isoformat(), "unit": "date"},
                     {"op": "<=", "value": _last_day(part).isoformat(), "unit": "date"}]
        elif isinstance(part.value, bool | str):  # yes/no, or a level's id
            items = [{"op": part.op, "value": part.value, "unit": None}]
        else:
            assert isinstance(part.value, Decimal)
            items = [{"op": part.op, "value": _plain_number(part.value),
                      "unit": threshold_unit(pack, rule, part.metric)}]
        out += [{**item, "metric": part.metric} for item in items] if len(parts) > 1 else items
    return out


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
