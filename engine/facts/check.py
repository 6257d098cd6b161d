"""Read a ward's facts file and check it against the rule pack's fact declarations.

The file's structure is checked with pydantic; each fact is then checked against its declared
type: counts are whole numbers ≥ 0, numbers lie within their bounds, dates are real days (ISO or
dd/mm/yyyy) near the plan year, levels are one of the listed levels. A number written as a string
is refused (durable_rules would compare it as text). Counts that cannot hold together (a numerator
above its denominator) are refused. An unknown fact name gets a "did you mean". Every problem is
collected and reported at once with its JSON path (exit status 2).
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cchc.engine.dates import DateFormatError, format_date, parse_date
from cchc.engine.errors import MAX_SHOWN_PROBLEMS, InputError, Problem
from cchc.engine.facts.entry import Entry, read_entry
from cchc.engine.facts.model import (
    MAX_EVIDENCE,
    Evidence,
    FactEntry,
    FactsDocument,
    Reported,
    Value,
    WardFacts,
)
from cchc.engine.messages import capped_errors, json_path, problem
from cchc.engine.numbers import fmt
from cchc.engine.pack.model import Pack
from cchc.rules.schema import FactSpec

# Counts stay below 10^9: far above any ward's dossiers, and low enough that a rate computed from
# them converts to a float on the right side of every threshold (see derive.py).
MAX_COUNT = 10**9
MAX_NUMBER = Decimal(10) ** 12
# A reported number carries at most 6 decimals (a rate to a ten-thousandth of a percent, money
# to the đồng in millions): enough for any document, and a bound the reader can check by eye.
MAX_DECIMALS = 6


# The keys a fact entry and an evidence item may have (for "did you mean"), read once.
_ENTRY_KEYS = tuple(FactEntry.model_fields)
_EVIDENCE_KEYS = tuple(Evidence.model_fields)


def _nfc_fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def as_typed(raw: Any) -> str:
    """A value as it was typed in JSON (true, 1200.0, "12"), shortened if very long."""
    if isinstance(raw, bool):
        text = "true" if raw else "false"
    elif raw is None:
        text = "null"
    elif isinstance(raw, str):
        text = '"' + (raw if len(raw) <= 40 else raw[:37] + "…") + '"'
    elif isinstance(raw, dict):
        text = "{ … }"
    elif isinstance(raw, list):
        text = "[ … ]"
    else:
        text = str(raw)
    return text if len(text) <= 40 else f"{text[:20]}… ({len(text)} ký tự / characters)"


class _Typed:
    """A value shown as typed, worked out only when put into a message."""

    __slots__ = ("raw",)

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def __format__(self, spec: str) -> str:
        return as_typed(self.raw)


def _date_problem(raw: str, error: DateFormatError) -> tuple[str, str]:
    if error.impossible:
        return (f"{as_typed(raw)} không phải là một ngày có thật",
                f"{as_typed(raw)} is not a real date")
    return (f"{as_typed(raw)} không đúng dạng ngày (ngày/tháng/năm, năm đủ 4 chữ số)",
            f"{as_typed(raw)} is not in a date form the tool reads")


def _date_forms(year: int, lang: str = "vi") -> str:
    """The two forms a date is typed in, shown on a day of the facts file's year."""
    return f"{year}-03-15 {'hoặc' if lang == 'vi' else 'or'} 15/03/{year}"


def _whole_number(raw: Any) -> int | None:
    """An int from an int or an integral decimal (1200.0 as Excel writes it); else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value() \
            and abs(raw) <= MAX_NUMBER:
        return int(raw)
    return None


def _check_value(spec: FactSpec, raw: Any, year: int, where: str,
                 problems: list[Problem], kind: str | None = None) -> Value:
    """The value in engine types, or None after appending a problem (or when raw is null).
    `kind`: read it as this type instead of the spec's (a list's dates, one by one)."""
    if raw is None:
        return None
    kind = kind or spec.type
    # the usual cases first, as the checks below would accept them
    if kind == "count" or kind == "rank":
        if type(raw) is int and (0 if kind == "count" else 1) <= raw <= (
                MAX_COUNT if spec.maximum is None else int(spec.maximum)):
            return raw
    elif kind == "boolean" and type(raw) is bool:
        return raw

    def bad(vi: str, en: str, exp_vi: str, exp_en: str) -> None:
        problems.append(Problem(where, f"{spec.label.vi}: {vi}", f"{spec.label.en}: {en}",
                                exp_vi, exp_en))

    if kind == "dates":
        return _check_dates(spec, raw, year, where, problems)
    if kind == "table":
        return _check_table(spec, raw, year, where, problems)
    typed = _Typed(raw)  # formatted only if a message needs it
    quoted = isinstance(raw, str)
    if kind in ("count", "rank"):
        low = 0 if kind == "count" else 1
        number = _whole_number(raw)
        if number is None and isinstance(raw, Decimal) and raw.is_finite() \
                and raw.as_tuple().exponent == -3:
            thousands = f"{int(raw * 1000)}"
            bad(f"cần một số nguyên, nhận được {typed}: có phải là {fmt(int(raw * 1000))} "
                "(dấu chấm là dấu phân cách hàng nghìn)?",
                f"a whole number is expected, got {typed}: is it {fmt(int(raw * 1000), 'en')} "
                "(a dot used as a thousands separator)?",
                f"gõ {thousands}, không có dấu chấm hay dấu phẩy phân cách hàng nghìn",
                f"type {thousands}, with no thousands separator")
            return None
        if number is None:
            bad(f"cần một số nguyên, nhận được {typed}", f"a whole number is expected, got {typed}",
                f"số nguyên từ {low} trở lên" + (", không đặt trong dấu ngoặc kép" if quoted
                                                 else ""),
                f"a whole number ≥ {low}" + (", without quotes" if quoted else ""))
            return None
        if number < low:
            bad(f"số {'đếm' if kind == 'count' else 'thứ hạng'} không được âm ({typed})"
                if number < 0 else "thứ hạng bắt đầu từ 1",
                f"a {kind} cannot be {'negative' if number < 0 else '0'} ({typed})",
                f"số nguyên ≥ {low}", f"a whole number ≥ {low}")
            return None
        maximum = int(spec.maximum) if spec.maximum is not None else MAX_COUNT
        if number > maximum:
            bad(f"giá trị {typed} vượt mức tối đa {fmt(maximum)}",
                f"{typed} exceeds the maximum {fmt(maximum, 'en')}",
                f"số nguyên từ {low} đến {fmt(maximum)}",
                f"a whole number from {low} to {fmt(maximum, 'en')}")
            return None
        return number
    if kind == "number":
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
            bad(f"cần một số, nhận được {typed}", f"a number is expected, got {typed}",
                "một số, dấu chấm thập phân, không phân cách hàng nghìn" + (
                    ", không đặt trong dấu ngoặc kép" if quoted else ""),
                "a number with a decimal point and no thousands separator" + (
                    ", without quotes" if quoted else ""))
            return None
        number_value = Decimal(raw)
        if number_value.is_finite() and number_value.normalize().as_tuple().exponent \
                < -MAX_DECIMALS:  # type: ignore[operator]
            bad(f"giá trị {typed} có quá {MAX_DECIMALS} chữ số thập phân",
                f"{typed} has more than {MAX_DECIMALS} decimal places",
                f"một số có tối đa {MAX_DECIMALS} chữ số sau dấu thập phân (làm tròn như văn bản "
                "gốc ghi)", f"a number with at most {MAX_DECIMALS} decimal places (rounded as "
                "the source document gives it)")
            return None
        least = spec.minimum if spec.minimum is not None else -MAX_NUMBER
        most = spec.maximum if spec.maximum is not None else MAX_NUMBER
        if not least <= number_value <= most:
            bad(f"giá trị {typed} nằm ngoài khoảng {fmt(least)} – {fmt(most)}",
                f"{typed} is outside {fmt(least, 'en')} to {fmt(most, 'en')}",
                f"một số từ {fmt(least)} đến {fmt(most)}",
                f"a number from {fmt(least, 'en')} to {fmt(most, 'en')}")
            return None
        return Fraction(number_value)
    if kind == "boolean":
        if not isinstance(raw, bool):
            bad(f"cần true hoặc false, nhận được {typed}", f"true or false expected, got {typed}",
                "true (đã thực hiện) hoặc false (chưa thực hiện), không đặt trong ngoặc kép",
                "true (done) or false (not done), without quotes")
            return None
        return raw
    if kind == "date":
        if raw is False:
            return False
        if not isinstance(raw, str):
            bad(f"cần một ngày hoặc false, nhận được {typed}",
                f"a date or false is expected, got {typed}",
                f"một ngày dạng {_date_forms(year)}; false nếu chưa thực hiện",
                f"a date as {_date_forms(year, 'en')}; false if not done")
            return None
        try:
            day = parse_date(raw)
        except DateFormatError as error:
            vi, en = _date_problem(raw, error)
            bad(vi, en, f"ngày dạng {_date_forms(year)} (ngày/tháng/năm)",
                f"a date as {_date_forms(year, 'en')} (day first)")
            return None
        first, last = dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31)
        if not first <= day <= last:
            bad(f"ngày {format_date(day)} nằm xa năm {year}", f"{day} is far from the year {year}",
                f"một ngày từ {format_date(first)} đến {format_date(last)}",
                f"a date from {first} to {last}")
            return None
        return day
    # level
    assert spec.levels is not None
    if isinstance(raw, str):
        position = spec.level_position(raw)
        if position is not None:  # the id as typed, before any label
            return position
        wanted = _nfc_fold(raw)
        for position, level in enumerate(spec.levels):
            if wanted in (level.id, _nfc_fold(level.vi), _nfc_fold(level.en)):
                return position
    choices = ", ".join(level.id for level in spec.levels)
    bad(f"mức không hợp lệ: {typed}", f"not a valid level: {typed}", f"một trong: {choices}",
        f"one of: {choices}")
    return None


# Rows of a table, dates of a list: a year of daily events, far above any plan's list of
# procedures or inspections, and a bound on what every later stage walks.
MAX_ROWS = 1000
MAX_CELL_TEXT = 300


def _too_long(raw: Any, spec: FactSpec, where: str, problems: list[Problem]) -> bool:
    if not isinstance(raw, list):
        problems.append(Problem(where, f"{spec.label.vi}: cần một danh sách [...]",
                                f"{spec.label.en}: a list [...] is expected",
                                "một danh sách, [] nếu không có", "a list, [] if there is none"))
        return True
    if len(raw) > MAX_ROWS:
        problems.append(Problem(where, f"{spec.label.vi}: {fmt(len(raw))} mục",
                                f"{spec.label.en}: {fmt(len(raw), 'en')} entries",
                                f"tối đa {fmt(MAX_ROWS)} mục", f"at most {MAX_ROWS} entries"))
        return True
    return False


def _check_dates(spec: FactSpec, raw: Any, year: int, where: str,
                 problems: list[Problem]) -> Value:
    """A list of dates (inspections held, dialogues organised), as typed."""
    if _too_long(raw, spec, where, problems):
        return None
    days: list[dt.date] = []
    for index, item in enumerate(raw):
        if item is False or item is None:
            problems.append(Problem(f"{where}[{index}]", f"{spec.label.vi}: mỗi mục là một ngày",
                                    f"{spec.label.en}: each entry is a date",
                                    "bỏ mục này; danh sách rỗng [] nếu chưa thực hiện",
                                    "drop the entry; an empty list [] if none was held"))
            continue
        day = _check_value(spec, item, year, f"{where}[{index}]", problems, kind="date")
        if isinstance(day, dt.date):
            days.append(day)
    return tuple(days)  # in the file's order: a JSON path [i] names the i-th date typed


def _check_table(spec: FactSpec, raw: Any, year: int, where: str,
                 problems: list[Problem]) -> Value:
    """A list of rows, each an object with the table's columns (text columns may be left
    out; every other column is needed; a date may be false: not done yet)."""
    if _too_long(raw, spec, where, problems):
        return None
    assert spec.columns is not None
    names = ", ".join(spec.columns)
    # each column's cells read as a fact of the column's type (numbers ≥ 0), made once a table
    cell_specs = {column: FactSpec(type=column_spec.type, label=column_spec.label,
                                   unit=column_spec.unit, minimum=Decimal(0)
                                   if column_spec.type == "number" else None)
                  for column, column_spec in spec.columns.items() if column_spec.type != "text"}
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        at = f"{where}[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(at, f"{spec.label.vi}: mỗi dòng là một đối tượng {{...}}",
                                    f"{spec.label.en}: each row is an object {{...}}",
                                    f"các khóa: {names}", f"the keys: {names}"))
            continue
        row: dict[str, Any] = {}
        for key in item:
            if key not in spec.columns:
                problems.append(Problem(f"{at}.{key}" if isinstance(key, str) and
                                        key.isidentifier() else at,
                                        f"{spec.label.vi}: không có cột '{str(key)[:64]}'",
                                        f"{spec.label.en}: no column '{str(key)[:64]}'",
                                        f"các cột: {names}", f"the columns: {names}"))
        for column, column_spec in spec.columns.items():
            cell = item.get(column)
            cell_at = f"{at}.{column}"
            if column_spec.type == "text":
                if cell is not None and (not isinstance(cell, str) or len(cell) > MAX_CELL_TEXT):
                    problems.append(Problem(cell_at, f"{column_spec.label.vi}: cần một đoạn chữ",
                                            f"{column_spec.label.en}: a text is expected",
                                            f"tối đa {MAX_CELL_TEXT} ký tự",
                                            f"at most {MAX_CELL_TEXT} characters"))
                row[column] = cell if isinstance(cell, str) else None
                continue
            if cell is None:
                problems.append(Problem(cell_at, f"{column_spec.label.vi}: thiếu giá trị",
                                        f"{column_spec.label.en}: the value is missing",
                                        "điền giá trị cho mọi dòng", "fill it in on every row"))
                continue
            row[column] = _check_value(cell_specs[column], cell, year, cell_at, problems)
        rows.append(row)
    return tuple(rows)


def _check_facts(pack: Pack, raw_facts: dict[str, Any], year: int, base: tuple[str, ...],
                 problems: list[Problem], allowed: list[str] | None = None) -> dict[str, Reported]:
    out: dict[str, Reported] = {}
    prefix = json_path(base)  # known fact names are identifiers: $.facts.<name>
    known = list(pack.facts) if allowed is None else allowed
    takes = pack.facts if allowed is None else frozenset(allowed)  # a fast `in`
    seen: dict[tuple, Evidence] = {}
    for name, given in raw_facts.items():
        spec = pack.facts.get(name) if name in takes else None
        if spec is None:
            path = (*base, name)
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6) \
                if len(problems) < MAX_SHOWN_PROBLEMS and len(name) <= 100 else []
            hint_vi = f"có phải ý bạn là '{close[0]}'?" if close else "xem `cchc-score template`"
            hint_en = f"did you mean '{close[0]}'?" if close else "see `cchc-score template`"
            if name in pack.facts:  # a fact, but last year's value of it is never compared
                problems.append(Problem(json_path(path),
                                        f"năm trước không cần dữ kiện '{name}'",
                                        f"no rule compares last year's '{name}'",
                                        "xóa dòng này; xem mục previous_year của "
                                        "`cchc-score template`",
                                        "remove it; see previous_year in `cchc-score template`"))
                continue
            problems.append(Problem(json_path(path), f"không có dữ kiện tên '{name}'",
                                    f"no fact is named '{name}'", hint_vi, hint_en))
            continue
        if isinstance(given, dict):
            path = (*base, name)
            evidence = given.get("evidence")
            if isinstance(evidence, list) and len(evidence) > MAX_EVIDENCE:  # before validating
                problems.append(Problem(f"{json_path(path)}.evidence", f"{len(evidence):,} tài "
                                        "liệu kiểm chứng cho một dữ kiện".replace(",", "."),
                                        f"{len(evidence):,} evidence documents for one fact",
                                        f"tối đa {MAX_EVIDENCE}", f"at most {MAX_EVIDENCE}"))
                continue
            if len(given) > len(_ENTRY_KEYS):  # more keys than an entry can have: say so once
                unknown = [key for key in given if key not in _ENTRY_KEYS]
                problems.append(Problem(json_path(path), f"mục dữ kiện có {len(unknown):,} khóa "
                                        "không thuộc mẫu".replace(",", "."),
                                        f"the entry has {len(unknown):,} keys not in the format",
                                        f"chỉ các khóa: {', '.join(_ENTRY_KEYS)}",
                                        f"only the keys: {', '.join(_ENTRY_KEYS)}"))
                continue
            try:
                entry = read_entry(given, seen)
            except ValidationError as exc:
                head, errors = capped_errors(exc, json_path(path))
                problems.extend(head)
                for error in errors:
                    inner = tuple(error["loc"])
                    keys = _EVIDENCE_KEYS if inner[:1] == ("evidence",) and len(inner) > 2 \
                        else _ENTRY_KEYS
                    problems.append(problem(json_path((*path, *inner)), error, keys,
                                            cheap=len(problems) >= MAX_SHOWN_PROBLEMS))
                continue
            for index, item in enumerate(entry.evidence):
                if item.date is not None:
                    try:
                        parse_date(item.date)
                    except DateFormatError as error:
                        vi, en = _date_problem(item.date, error)
                        problems.append(Problem(
                            json_path((*path, "evidence", index, "date")), vi, en,
                            f"dạng {_date_forms(year)}", f"as {_date_forms(year, 'en')}"))
            value_path = f"{prefix}.{name}.value"
            value = _check_value(spec, entry.value, year, value_path, problems)
            if spec.edition or entry.edition is not None or entry.pending:
                _check_edition(spec, entry, value, year, f"{prefix}.{name}", base, problems)
            out[name] = Reported(name, value, tuple(entry.evidence), entry.note, value_path,
                                 entry.edition, entry.pending)
        else:
            value = _check_value(spec, given, year, f"{prefix}.{name}", problems)
            if spec.edition and value is not None:
                problems.append(_edition_needed(spec, f"{prefix}.{name}", year,
                                                base == ("facts",)))
            out[name] = Reported(name, value, (), None, f"{prefix}.{name}")
    _check_consistency(pack, out, problems)
    _check_spans(pack, out, problems)
    return out


def _edition_needed(spec: FactSpec, where: str, year: int, current: bool) -> Problem:
    pending_vi = ', hoặc {"pending": true} nếu kỳ này chưa công bố' if current else ""
    pending_en = ', or {"pending": true} if this edition is not yet published' if current else ""
    return Problem(where, f"{spec.label.vi}: là kết quả một chỉ số, cần ghi kỳ đánh giá "
                   "(năm đánh giá) của số liệu", f"{spec.label.en}: an index result needs the "
                   "edition (year assessed) it belongs to",
                   f'{{"value": …, "edition": {year}, "evidence": [văn bản công bố]}}{pending_vi}',
                   f'{{"value": …, "edition": {year}, "evidence": [the publishing document]}}'
                   f"{pending_en}")


def _check_edition(spec: FactSpec, entry: Entry | FactEntry, value: Value, year: int, where: str,
                   base: tuple[str, ...], problems: list[Problem]) -> None:
    """An index result names its edition (this year's for this year, last year's for last
    year) and may be pending (this year only, without a value); other facts take neither."""
    label_vi, label_en = spec.label.vi, spec.label.en
    if not spec.edition:
        if entry.edition is not None or entry.pending:
            key = "edition" if entry.edition is not None else "pending"
            problems.append(Problem(f"{where}.{key}", f"{label_vi}: không phải kết quả chỉ số "
                                    f"nên không có '{key}'", f"{label_en}: not an index result, "
                                    f"so '{key}' does not apply", f"xóa '{key}'",
                                    f"remove '{key}'"))
        return
    if entry.pending:
        if base != ("facts",):
            problems.append(Problem(f"{where}.pending", f"{label_vi}: kết quả năm trước đã công "
                                    "bố, không thể chờ", f"{label_en}: last year's result is "
                                    "published and cannot be pending", "giá trị và kỳ đánh giá "
                                    "năm trước", "last year's value and edition"))
        elif entry.value is not None:
            problems.append(Problem(f"{where}.pending", f"{label_vi}: đã có giá trị thì không "
                                    "còn chờ kết quả", f"{label_en}: a value is given, so it is "
                                    "not pending", "bỏ \"pending\" hoặc bỏ giá trị",
                                    "drop \"pending\" or the value"))
        return
    if value is None:
        return
    if entry.edition is None:
        problems.append(_edition_needed(spec, where, year, base == ("facts",)))
    elif entry.edition != year:
        problems.append(Problem(f"{where}.edition", f"{label_vi}: số liệu kỳ đánh giá "
                                f"{entry.edition} được nhập vào ô của năm {year}",
                                f"{label_en}: the {entry.edition} edition is entered as the "
                                f"{year} value", f"kết quả kỳ đánh giá {year}"
                                + (' hoặc {"pending": true} nếu kỳ này chưa công bố'
                                   if base == ("facts",) else ""),
                                f"the {year} edition" + (' or {"pending": true} if it is not '
                                                         "yet published"
                                                         if base == ("facts",) else "")))


def _check_consistency(pack: Pack, facts: dict[str, Reported], problems: list[Problem]) -> None:
    """Refuse reported counts that cannot hold together (a part larger than its whole)."""
    for part, whole in pack.bounded_pairs():
        low, high = facts.get(part), facts.get(whole)
        if low is None or high is None or not isinstance(low.value, int | Fraction) \
                or not isinstance(high.value, int | Fraction) or low.value <= high.value:
            continue
        label_part, label_whole = pack.facts[part].label, pack.facts[whole].label
        problems.append(Problem(
            low.path, f"«{label_part.vi}» ({fmt(low.value)}) lớn hơn «{label_whole.vi}» "
            f"({fmt(high.value)})", f"«{label_part.en}» ({fmt(low.value, 'en')}) exceeds "
            f"«{label_whole.en}» ({fmt(high.value, 'en')})",
            f"không lớn hơn «{label_whole.vi}» ({high.path}); kiểm tra lại cả hai số",
            f"at most «{label_whole.en}» ({high.path}); check both figures"))


def _span_problems(pack: Pack, start: Any, end: Any, count: str, where: str, what_vi: str,
                   what_en: str, problems: list[Problem]) -> None:
    """A span of days read by a rule: its end not before its start, and, counted in working
    days, inside the pack's calendar."""
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return
    if end < start:
        problems.append(Problem(where, f"{what_vi}: ngày {format_date(end)} trước ngày bắt đầu "
                                f"tính {format_date(start)}", f"{what_en}: {end} is before the "
                                f"day it is counted from, {start}",
                                "kiểm tra lại hai ngày", "check both dates"))
    calendar = pack.working_days
    if count == "working" and calendar is not None:
        for day in (start, end):
            if not calendar.covers(day):
                span = calendar.calendar.covers
                problems.append(Problem(where, f"{what_vi}: ngày {format_date(day)} nằm ngoài lịch "
                                        "ngày làm việc của gói quy tắc nên không đếm được ngày "
                                        "làm việc", f"{what_en}: {day} is outside the pack's "
                                        "working-day calendar, so working days cannot be counted",
                                        f"một ngày từ {format_date(span.from_)} đến "
                                        f"{format_date(span.to)}", f"a date from {span.from_} to "
                                        f"{span.to}"))
                break


def _check_spans(pack: Pack, facts: dict[str, Reported], problems: list[Problem]) -> None:
    """Refuse spans of days that run backwards or leave the calendar, and reductions against
    a legal time of 0, in the facts that a days or reduction metric reads."""
    for metric in pack.metrics.values():
        if metric.kind == "days_between":
            start, end = facts.get(metric.from_), facts.get(metric.to)
            if start is not None and end is not None:
                label = metric.label
                # a roll-over looks the days off up in the calendar, as a working-day count does
                count = "working" if metric.rolls_over else metric.count
                _span_problems(pack, start.value, end.value, count, end.path, label.vi,
                               label.en, problems)
        elif metric.kind == "each" and metric.item.kind != "column":
            table = facts.get(metric.of)
            if table is None or not isinstance(table.value, tuple):
                continue
            item = metric.item
            for index, row in enumerate(table.value):
                assert isinstance(row, dict)
                where = f"{table.path}[{index}]"
                if item.kind == "days_between":
                    if row.get(item.from_) is False:
                        problems.append(Problem(f"{where}.{item.from_}", f"{metric.label.vi}: "
                                                "cần ngày bắt đầu tính hạn", f"{metric.label.en}: "
                                                "the day the time is counted from is needed",
                                                "một ngày", "a date"))
                    _span_problems(pack, row.get(item.from_), row.get(item.to), item.count,
                                   f"{where}.{item.to}", metric.label.vi, metric.label.en,
                                   problems)
                elif row.get(item.from_) == 0:
                    problems.append(Problem(f"{where}.{item.from_}", f"{metric.label.vi}: mốc "
                                            "so sánh bằng 0 nên không tính được tỷ lệ cắt giảm",
                                            f"{metric.label.en}: the reference is 0, so no "
                                            "reduction can be computed", "một số lớn hơn 0",
                                            "a number above 0"))


def check_facts(document: FactsDocument, pack: Pack) -> WardFacts:
    """Check every fact of `document` against `pack`'s declarations (types, bounds, dates,
    levels, parts within wholes, last year's facts); every problem is reported at once."""
    parsed, name = document.content, document.name
    problems: list[Problem] = []
    if parsed.year != pack.meta.year:
        problems.append(Problem("$.year", f"gói quy tắc {pack.meta.id} dành cho năm "
                                f"{pack.meta.year}, tệp khai báo năm {parsed.year}",
                                f"pack {pack.meta.id} is for {pack.meta.year}, the file says "
                                f"{parsed.year}", f"năm {pack.meta.year}", f"{pack.meta.year}"))
    current = _check_facts(pack, parsed.facts, parsed.year, ("facts",), problems)
    previous: dict[str, Reported] = {}
    if parsed.previous_year is not None:
        if parsed.previous_year.year != parsed.year - 1:
            problems.append(Problem("$.previous_year.year", f"năm trước phải là {parsed.year - 1}",
                                    f"the previous year must be {parsed.year - 1}",
                                    str(parsed.year - 1), str(parsed.year - 1)))
        previous = _check_facts(pack, parsed.previous_year.facts, parsed.year - 1,
                                ("previous_year", "facts"), problems,
                                allowed=pack.previous_year_facts())
    if problems:
        raise InputError(name, problems)
    return WardFacts(
        file_name=Path(name).name, sha256=document.sha256, unit=parsed.unit,
        year=parsed.year, pack_id=parsed.pack, current=current,
        previous_year=parsed.previous_year.year if parsed.previous_year else None,
        previous=previous, prepared_by=parsed.prepared_by,
        prepared_on=format_date(parse_date(parsed.prepared_on)) if parsed.prepared_on else None)
