"""Plausibility warnings: what a checked facts file allows but is probably a typing mistake.

`plausibility_warnings` looks at a facts file that has passed `check_facts` and returns
`FactWarning`s, never errors: a number that looks like a thousands separator read as a decimal
point (12.600 for 12 600), a value ten times last year's or a tenth of it, evidence dated outside
the plan year or after the assessment date (prepared_on), a deliverable dated after that date,
an evidence file that is missing or whose sha256 differs, a ward name that is not the plan's
unit, and the facts still empty.

Order: the file-wide warnings on the unit and prepared_on first, then each of this year's facts
in file order, then each of last year's facts in file order (each fact's warnings sorted by code,
its evidence items in order), and last the one warning listing the empty facts. The clock is
never read, so the same input always gives the same warnings. Evidence files are only read, and
only at the path written (relative to the facts file's folder, or absolute).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from cchc.engine.dates import DateFormatError, format_date, parse_date
from cchc.engine.facts.check import as_typed
from cchc.engine.facts.model import Evidence, FactsDocument, Reported, WardFacts, dated_values
from cchc.engine.messages import json_path
from cchc.engine.numbers import fmt
from cchc.engine.pack.model import Pack
from cchc.engine.warnings import FactWarning
from cchc.rules.schema import FactSpec

THOUSANDS = "hang_nghin"
JUMP = "lech_nam_truoc"
OUTSIDE_YEAR = "minh_chung_ngoai_nam"
EVIDENCE_AFTER = "minh_chung_sau_ngay_danh_gia"
DATE_AFTER = "ngay_sau_ngay_danh_gia"
DATE_OUTSIDE_YEAR = "ngay_ngoai_nam"
DATE_NOT_EVIDENCE = "ngay_khac_minh_chung"
PENDING_LATE = "cho_ket_qua_da_cong_bo"
RATE_IMPLAUSIBLE = "ty_le_bat_thuong"
NO_ASSESSMENT_DATE = "khong_co_ngay_danh_gia"
FILE_MISSING = "tep_minh_chung_khong_co"
FILE_SHA256 = "tep_minh_chung_sai_sha256"
UNIT_NAME = "ten_don_vi"
EMPTY = "con_trong"

JUMP_FACTOR = 10  # this year ≥ 10× last year, or ≤ a tenth of it
THOUSANDS_FACTOR = 100  # last year ≥ 100× a value typed with three decimals
CHUNK = 1 << 20  # bytes read at a time when hashing an evidence file
# An evidence file larger than this is not hashed (a scanned document is far smaller; hashing
# gigabytes would hold up a scoring run for seconds): its sha256 is reported as not checked.
MAX_HASHED = 256 << 20
TOO_LARGE = "too-large"
NUMERIC_TYPES = ("count", "number")


@dataclass(frozen=True)
class _Context:
    """What every check reads: the file as typed, the file as checked, the pack, the folder."""

    document: FactsDocument
    ward: WardFacts
    pack: Pack
    base_dir: Path | None
    assessed_on: dt.date | None  # prepared_on


def plausibility_warnings(document: FactsDocument, ward: WardFacts, pack: Pack,
                          base_dir: Path | None) -> list[FactWarning]:
    """The plausibility warnings of a checked facts file, in a fixed order (see the module).

    `document` is the file as typed (numbers as Decimal), `ward` the same file after
    `check_facts` against `pack`; `base_dir` is the facts file's folder, None when it was read
    from stdin (the evidence files are then not looked at).
    """
    context = _Context(document, ward, pack, base_dir,
                       parse_date(ward.prepared_on) if ward.prepared_on else None)
    out = list(_unit_warnings(ward, pack))
    out.extend(_assessment_date_warnings(ward))
    for reported in ward.current.values():
        out.extend(_by_code(_current_fact_warnings(context, reported)))
    for reported in ward.previous.values():
        out.extend(_by_code(_evidence_warnings(context, reported, this_year=False)))
    out.extend(_rate_warnings(ward, pack))
    out.extend(_empty_warnings(ward, pack))
    return out


def _rate_warnings(ward: WardFacts, pack: Pack) -> Iterator[FactWarning]:
    """An unbounded rate far above what a ward reaches (its `plausible_max`)."""
    for metric in pack.metrics.values():
        if metric.kind != "ratio" or metric.plausible_max is None:
            continue
        top, bottom = ward.current.get(metric.numerator), ward.current.get(metric.denominator)
        if top is None or bottom is None:
            continue
        high, low = _number(top.value), _number(bottom.value)
        if high is None or low is None or low == 0:
            continue
        rate = high * Fraction(metric.scale) / low
        if rate <= Fraction(metric.plausible_max):
            continue
        shown_vi, shown_en = fmt(rate, "vi", 1), fmt(rate, "en", 1)
        limit_vi, limit_en = fmt(metric.plausible_max, "vi"), fmt(metric.plausible_max, "en")
        yield FactWarning(
            RATE_IMPLAUSIBLE, top.path,
            f"«{metric.label.vi}» = {shown_vi} {metric.unit.vi}, trên {limit_vi} "
            f"{metric.unit.vi}: kiểm tra lại «{pack.facts[metric.numerator].label.vi}» và "
            f"«{pack.facts[metric.denominator].label.vi}» ({bottom.path}) — nhầm đơn vị hoặc "
            f"dấu phân cách hàng nghìn?",
            f"«{metric.label.en}» = {shown_en} {metric.unit.en}, above {limit_en} "
            f"{metric.unit.en}: check «{pack.facts[metric.numerator].label.en}» and "
            f"«{pack.facts[metric.denominator].label.en}» ({bottom.path}) — a wrong unit or a "
            f"thousands separator?")


def _by_code(warnings: Iterable[FactWarning]) -> list[FactWarning]:
    """One fact's warnings by code; the same code keeps its evidence order (sort is stable)."""
    return sorted(warnings, key=lambda warning: warning.code)


def _current_fact_warnings(context: _Context, reported: Reported) -> Iterator[FactWarning]:
    """Each check that can apply to the fact's type (each also checks its own conditions)."""
    kind = context.pack.facts[reported.name].type
    if kind in NUMERIC_TYPES:
        yield from _thousands_warnings(context, reported)
        yield from _jump_warnings(context, reported)
    if kind in ("date", "dates", "table"):
        yield from _date_after_warnings(context, reported)
    if kind == "dates":
        yield from _list_outside_year_warnings(context, reported)
    if kind == "date":
        yield from _date_evidence_warnings(context, reported)
    if reported.pending:
        yield from _pending_warnings(context, reported)
    if reported.evidence:
        yield from _evidence_warnings(context, reported, this_year=True)


# --- helpers ---------------------------------------------------------------------------------


def _is_empty(reported: Reported | None) -> bool:
    """Whether a fact still has to be filled in: left out, or null (a pending index result is
    not empty: it waits for its edition to be published)."""
    return reported is None or (reported.value is None and not reported.pending)


def _raw_value(entry: Any) -> Any:
    """The value as typed: a bare value, or the `value` of a fact given as an object."""
    return entry.get("value") if isinstance(entry, dict) else entry


def _typed_current(context: _Context, name: str) -> Any:
    return _raw_value(context.document.content.facts.get(name))


def _typed_previous(context: _Context, name: str) -> Any:
    previous = context.document.content.previous_year
    return _raw_value(previous.facts.get(name)) if previous is not None else None


def _number(value: Any) -> Fraction | None:
    """A count's or a number's value as a Fraction; None for anything else (bool included)."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        return None
    return Fraction(value)


def _with_unit(text: str, spec: FactSpec, lang: str) -> str:
    if spec.unit is None:
        return text
    return f"{text} {spec.unit.vi if lang == 'vi' else spec.unit.en}"


def _is_money(spec: FactSpec) -> bool:
    """A sum of money: the unit is in đồng (triệu đồng, nghìn đồng) / VND."""
    return spec.unit is not None and ("đồng" in spec.unit.vi.casefold()
                                      or "vnd" in spec.unit.en.casefold())


def _evidence_day(item: Evidence) -> dt.date | None:
    return _day(item.date) if item.date else None


@functools.lru_cache(maxsize=4096)
def _day(text: str) -> dt.date | None:
    """A document's date (the same dates come again and again across a city's wards)."""
    try:
        return parse_date(text)
    except DateFormatError:  # check_facts refuses it; never fail here
        return None


def _document_name(item: Evidence) -> str:
    """How a clerk finds the document: its number, else its title, else its file."""
    text = item.number or item.title or item.file or ""
    return text if len(text) <= 60 else text[:57] + "…"


def _labels(context: _Context, reported: Reported, this_year: bool) -> tuple[str, str]:
    label = context.pack.facts[reported.name].label
    if this_year:
        return label.vi, label.en
    year = context.ward.previous_year
    return f"{label.vi} (năm trước, {year})", f"{label.en} (last year, {year})"


# --- 1. thousands separator read as a decimal point ------------------------------------------


def _three_decimals(raw: Any) -> bool:
    """Typed with exactly three digits after the point (12.600, 2.000)."""
    return isinstance(raw, Decimal) and raw.is_finite() and raw.as_tuple().exponent == -3


def _looks_like_thousands(spec: FactSpec, value: Fraction, previous: Fraction | None) -> bool:
    """Whether a value typed with three decimals was meant in thousands: never when the
    thousands reading is one the fact refuses (0.850 for a rate of at most 100 % is no 850)."""
    size = abs(value)
    if size == 0 or (spec.maximum is not None and 1000 * value > spec.maximum):
        return False
    if size < 1:
        return True
    if previous is not None:
        return abs(previous) >= THOUSANDS_FACTOR * size
    return spec.type == "count" or _is_money(spec)


def _thousands_warnings(context: _Context, reported: Reported) -> Iterator[FactWarning]:
    spec = context.pack.facts[reported.name]
    raw = _typed_current(context, reported.name)
    value = _number(reported.value)
    if spec.type not in NUMERIC_TYPES or value is None or not _three_decimals(raw):
        return
    last = context.ward.previous.get(reported.name)
    previous = _number(last.value) if last is not None else None
    if not _looks_like_thousands(spec, value, previous):
        return
    meant = int(raw.scaleb(3))
    typed = str(raw)
    label = spec.label
    vi = (f"«{label.vi}»: {_with_unit(typed, spec, 'vi')} — {typed} có phải là "
          f"{fmt(meant, 'vi')} không? Dấu chấm là dấu thập phân; không dùng dấu phân cách hàng "
          f"nghìn. Nếu là {fmt(meant, 'vi')}, hãy gõ {meant}.")
    en = (f"«{label.en}»: {_with_unit(typed, spec, 'en')} — is {typed} meant to be "
          f"{fmt(meant, 'en')}? The point is the decimal point; do not use a thousands "
          f"separator. If it is {fmt(meant, 'en')}, type {meant}.")
    if previous is not None:
        last_typed = as_typed(_typed_previous(context, reported.name))
        vi += f" Năm trước: {_with_unit(last_typed, spec, 'vi')}."
        en += f" Last year: {_with_unit(last_typed, spec, 'en')}."
    yield FactWarning(THOUSANDS, reported.path, vi, en)


# --- 2. a tenfold change from last year ------------------------------------------------------


def _is_jump(now: Fraction, before: Fraction) -> bool:
    now, before = abs(now), abs(before)
    if now == 0 or before == 0:
        return max(now, before) >= JUMP_FACTOR
    return now >= JUMP_FACTOR * before or before >= JUMP_FACTOR * now


def _jump_warnings(context: _Context, reported: Reported) -> Iterator[FactWarning]:
    spec = context.pack.facts[reported.name]
    last = context.ward.previous.get(reported.name)
    now = _number(reported.value)
    before = _number(last.value) if last is not None else None
    if spec.type not in NUMERIC_TYPES or now is None or before is None \
            or not _is_jump(now, before):
        return
    typed_now, typed_before = fmt(now, "vi"), fmt(before, "vi")
    typed_now_en, typed_before_en = fmt(now, "en"), fmt(before, "en")
    year, last_year = context.ward.year, context.ward.previous_year
    change_vi = change_en = ""
    if now != 0 and before != 0:
        fold = max(abs(now), abs(before)) / min(abs(now), abs(before))
        rises = abs(now) > abs(before)
        change_vi = f" ({'tăng' if rises else 'giảm'} {fmt(fold, 'vi')} lần)"
        change_en = f" ({fmt(fold, 'en')} times {'more' if rises else 'less'})"
    vi = (f"«{spec.label.vi}»: năm {year} là {_with_unit(typed_now, spec, 'vi')}, năm "
          f"{last_year} là {_with_unit(typed_before, spec, 'vi')}{change_vi}. Kiểm tra lại cả "
          f"hai số: có gõ thừa hoặc thiếu chữ số 0, hay nhầm đơn vị tính không?")
    en = (f"«{spec.label.en}»: {_with_unit(typed_now_en, spec, 'en')} in {year}, "
          f"{_with_unit(typed_before_en, spec, 'en')} in {last_year}{change_en}. Check both "
          f"figures: a zero too many or too few, or a different unit?")
    yield FactWarning(JUMP, reported.path, vi, en)


# --- 3, 4. evidence dated outside the plan year or after the assessment ----------------------


def _outside_year(context: _Context, label: tuple[str, str], item: Evidence, day: dt.date,
                  at: tuple[str | int, ...]) -> Iterator[FactWarning]:
    year = context.ward.year
    spec = context.pack.facts[str(at[-3])]
    start = spec.evidence_since or dt.date(year, 1, 1)
    end = spec.evidence_until or dt.date(year, 12, 31)
    # an index result is published after its year: only the assessment date bounds it
    if start <= day and (day <= end or spec.edition):
        return
    first, last = format_date(start), format_date(end)
    document = _document_name(item)
    span_vi = (f"năm {year} của kế hoạch" if (start, end) == (dt.date(year, 1, 1),
                                                             dt.date(year, 12, 31))
               else "khoảng thời gian dữ kiện này đo")
    span_en = (f"the plan year {year}" if (start, end) == (dt.date(year, 1, 1),
                                                          dt.date(year, 12, 31))
               else "the time this fact measures")
    yield FactWarning(
        OUTSIDE_YEAR, json_path((*at, "date")),
        f"«{label[0]}»: tài liệu kiểm chứng «{document}» ghi ngày {format_date(day)}, ngoài "
        f"{span_vi} ({first} – {last}). Kiểm tra lại ngày của văn bản (nhầm năm?), "
        f"hoặc văn bản này có đúng là minh chứng cho năm {year} không.",
        f"«{label[1]}»: evidence «{document}» is dated {format_date(day)}, outside "
        f"{span_en} ({first} – {last}). Check the document's date (the wrong year?), or "
        f"whether it really is evidence for {year}.")


def _evidence_after(context: _Context, label: tuple[str, str], item: Evidence, day: dt.date,
                    at: tuple[str | int, ...]) -> Iterator[FactWarning]:
    assessed = context.assessed_on
    if assessed is None or day <= assessed:
        return
    document = _document_name(item)
    yield FactWarning(
        EVIDENCE_AFTER, json_path((*at, "date")),
        f"«{label[0]}»: tài liệu kiểm chứng «{document}» ghi ngày {format_date(day)}, sau ngày "
        f"đánh giá {format_date(assessed)} ($.prepared_on): văn bản chưa thể có vào ngày đánh giá. "
        f"Kiểm tra lại ngày của văn bản (nhầm năm, đảo ngày và tháng?) hoặc ngày đánh giá.",
        f"«{label[1]}»: evidence «{document}» is dated {format_date(day)}, after the "
        f"assessment date {format_date(assessed)} ($.prepared_on): it cannot exist yet. Check the "
        f"document's date (the wrong year, day and month swapped?) or the assessment date.")


def _evidence_warnings(context: _Context, reported: Reported,
                       this_year: bool) -> Iterator[FactWarning]:
    """Each evidence item's date (the plan year: this year's facts only) and file."""
    label = _labels(context, reported, this_year)
    base = ("facts",) if this_year else ("previous_year", "facts")
    for index, item in enumerate(reported.evidence):
        at = (*base, reported.name, "evidence", index)
        day = _evidence_day(item)
        if day is not None:  # the JSON path is worked out only for a warning given
            if this_year:
                yield from _outside_year(context, label, item, day, at)
            yield from _evidence_after(context, label, item, day, at)
        if item.file and context.base_dir is not None:
            yield from _file_warnings(context.base_dir, label, item, at)


# --- 5, 6. a deliverable dated after the assessment; no assessment date ----------------------


def _date_after_warnings(context: _Context, reported: Reported) -> Iterator[FactWarning]:
    spec = context.pack.facts[reported.name]
    assessed = context.assessed_on
    if spec.type not in ("date", "dates", "table") or assessed is None:
        return
    for day, where in dated_values(reported.value, reported.path):
        if day > assessed:
            yield _date_after(spec, day, assessed, where)
            return  # one per fact: the first is enough to send the clerk to check


def _list_outside_year_warnings(context: _Context, reported: Reported
                                ) -> Iterator[FactWarning]:
    """A date of a list (inspections, dialogues) outside the plan year: counted in no period."""
    spec = context.pack.facts[reported.name]
    year = context.ward.year
    if spec.type != "dates" or not isinstance(reported.value, tuple):
        return
    for day, where in dated_values(reported.value, reported.path):
        if day.year != year:
            yield FactWarning(
                DATE_OUTSIDE_YEAR, where,
                f"«{spec.label.vi}»: ngày {format_date(day)} ngoài năm {year} của kế hoạch nên "
                "không được tính vào kỳ nào. Kiểm tra lại ngày (nhầm năm?).",
                f"«{spec.label.en}»: {format_date(day)} is outside the plan year {year}, so it "
                "counts in no period. Check the date (the wrong year?).")
            return


def _date_after(spec: FactSpec, day: dt.date, assessed: dt.date, where: str) -> FactWarning:
    return FactWarning(
        DATE_AFTER, where,
        f"«{spec.label.vi}»: ngày {format_date(day)} sau ngày đánh giá {format_date(assessed)} "
        f"($.prepared_on): việc này chưa thể diễn ra vào ngày đánh giá. Kiểm tra lại ngày (nhầm "
        f"năm, đảo ngày và tháng?) hoặc ngày đánh giá.",
        f"«{spec.label.en}»: {format_date(day)} is after the assessment date "
        f"{format_date(assessed)} ($.prepared_on): it cannot have happened yet. Check the date "
        f"(the wrong year, day and month swapped?) or the assessment date.")


def _date_evidence_warnings(context: _Context, reported: Reported) -> Iterator[FactWarning]:
    """A deliverable's date that no dated evidence document carries: for an issue date, the
    evidence is the document itself, and a different date changes the points."""
    spec = context.pack.facts[reported.name]
    day = reported.value
    days = [d for d in (_evidence_day(item) for item in reported.evidence) if d is not None]
    if spec.type != "date" or not isinstance(day, dt.date) or not days or day in days:
        return
    shown = ", ".join(f"«{_document_name(item)}» {format_date(d)}"
                      for item in reported.evidence if (d := _evidence_day(item)) is not None)
    yield FactWarning(
        DATE_NOT_EVIDENCE, reported.path,
        f"«{spec.label.vi}»: ngày {format_date(day)} khác ngày của tài liệu kiểm chứng ({shown}). "
        f"Ngày hoàn thành là ngày của văn bản; kiểm tra lại ngày nhập hoặc văn bản đính kèm.",
        f"«{spec.label.en}»: {format_date(day)} differs from the date of its evidence ({shown}). "
        f"The date done is the document's date; check the date typed or the document cited.")


def _pending_warnings(context: _Context, reported: Reported) -> Iterator[FactWarning]:
    """An index result still declared pending after its edition is usually published."""
    spec = context.pack.facts[reported.name]
    assessed, month = context.assessed_on, spec.published_by_month
    if not reported.pending or assessed is None or month is None:
        return
    year = context.ward.year + 1
    due = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    if assessed <= due:
        return
    yield FactWarning(
        PENDING_LATE, reported.path.removesuffix(".value") + ".pending",
        f"«{spec.label.vi}»: ghi là chờ kết quả, nhưng kỳ đánh giá {context.ward.year} thường đã "
        f"được công bố trước {format_date(due)}, trước ngày đánh giá {format_date(assessed)}. "
        f"Nhập kết quả đã công bố (kèm văn bản công bố), hoặc ghi chú vì sao chưa có.",
        f"«{spec.label.en}»: marked pending, but the {context.ward.year} edition is usually "
        f"published by {format_date(due)}, before the assessment date {format_date(assessed)}. "
        f"Enter the published result (with the publishing document), or note why there is none.")


def _assessment_date_warnings(ward: WardFacts) -> Iterator[FactWarning]:
    if ward.prepared_on:
        return
    yield FactWarning(
        NO_ASSESSMENT_DATE, "$.prepared_on",
        "Tệp dữ kiện chưa ghi ngày đánh giá (prepared_on), nên chưa kiểm tra được ngày nào, tài "
        "liệu kiểm chứng nào ghi sau ngày đánh giá. Thêm dòng \"prepared_on\": \"dd/mm/yyyy\" "
        "(ngày lập tệp).",
        "The facts file gives no assessment date (prepared_on), so dates and evidence after "
        "the assessment date could not be checked. Add \"prepared_on\": \"dd/mm/yyyy\" (the "
        "day the file was prepared).")


# --- 7. evidence files -----------------------------------------------------------------------


def _is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):  # missing, unreadable folder, a NUL or an over-long name
        return False


def _sha256_of(path: Path) -> str | None:
    """The file's sha256, read in chunks; None unless it is a regular file that can be read.

    Opened without blocking and checked after opening, so a pipe or a device is never read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            return None
        if status.st_size > MAX_HASHED:  # too large to hash within a scoring run
            return TOO_LARGE
        digest = hashlib.sha256()
        while chunk := os.read(handle, CHUNK):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(handle)


def _file_warnings(base_dir: Path, label: tuple[str, str], item: Evidence,
                   at: tuple[str | int, ...]) -> Iterator[FactWarning]:
    assert item.file
    path = base_dir / item.file  # an absolute file stays as written
    if item.sha256 is None:
        found = _is_regular_file(path)
        actual = None
    else:
        actual = _sha256_of(path)
        found = actual is not None
    if actual == TOO_LARGE:
        yield FactWarning(
            FILE_SHA256, json_path((*at, "sha256")),
            f"«{label[0]}»: tệp minh chứng «{item.file}» lớn hơn {MAX_HASHED >> 20} MB nên không "
            "kiểm được mã sha256 khi chấm; kiểm tra mã bằng công cụ khác.",
            f"«{label[1]}»: the evidence file «{item.file}» is larger than {MAX_HASHED >> 20} MB, "
            "so its sha256 is not checked while scoring; check it with another tool.")
        return
    if not found:
        yield FactWarning(
            FILE_MISSING, json_path((*at, "file")),
            f"«{label[0]}»: không tìm thấy hoặc không đọc được tệp minh chứng «{item.file}» "
            f"(tìm tại {path}). Kiểm tra tên tệp và thư mục: đường dẫn tính từ thư mục chứa tệp "
            f"dữ kiện.",
            f"«{label[1]}»: the evidence file «{item.file}» was not found or cannot be read "
            f"(looked for {path}). Check the file name and folder: the path is taken from the "
            f"facts file's folder.")
    elif actual is not None and item.sha256 is not None \
            and actual.casefold() != item.sha256.casefold():
        yield FactWarning(
            FILE_SHA256, json_path((*at, "sha256")),
            f"«{label[0]}»: tệp minh chứng «{item.file}» có mã sha256 {actual}, khác mã ghi "
            f"trong tệp dữ kiện ({item.sha256}). Tệp đã được sửa hoặc thay sau khi ghi mã? "
            f"Kiểm tra đúng tệp, rồi ghi lại mã.",
            f"«{label[1]}»: the evidence file «{item.file}» has sha256 {actual}, not the "
            f"{item.sha256} the facts file gives. Was it changed or replaced after the hash was "
            f"written? Check it is the right file, then write the hash again.")


# --- 8. the ward's name ----------------------------------------------------------------------


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _names_the_ward(plan_unit: str, ward_name: str) -> bool:
    """'Phường 5' in 'UBND Phường 5, thành phố Đông Hà…' (not in 'Phường 51')."""
    wanted = _normalised(ward_name)
    pattern = rf"(?<!\w){re.escape(wanted)}(?!\w)"
    return bool(wanted) and re.search(pattern, _normalised(plan_unit)) is not None


def _unit_warnings(ward: WardFacts, pack: Pack) -> Iterator[FactWarning]:
    plan_unit = pack.meta.plan.unit
    if _names_the_ward(plan_unit, ward.unit.ward):
        return
    yield FactWarning(
        UNIT_NAME, "$.unit.ward",
        f"Tên đơn vị «{ward.unit.ward}» không có trong đơn vị của kế hoạch «{plan_unit}» (gói "
        f"quy tắc {pack.meta.id}). Kiểm tra lại tên phường, xã, và gói quy tắc có đúng là của "
        f"đơn vị mình không.",
        f"The unit «{ward.unit.ward}» does not appear in the plan's unit «{plan_unit}» (rule "
        f"pack {pack.meta.id}). Check the ward's name, and that the pack is your unit's.")


# --- 9. facts still empty --------------------------------------------------------------------


def _idle_facts(ward: WardFacts, pack: Pack) -> set[str]:
    """The facts only rules that cannot apply to this ward read: rules whose `applies_if` is a
    yes/no fact the ward reports as not holding ("Phường được giao vốn": false). Nothing is
    asked of a ward for them."""
    readers: dict[str, list[bool]] = {}
    for rule in pack.rules:
        gate = rule.applies_if
        reported = ward.current.get(gate.metric) if gate is not None else None
        idle = gate is not None and gate.metric in pack.facts and reported is not None \
            and isinstance(reported.value, bool) and reported.value is not gate.value
        for name in rule.test.metrics:
            for fact in pack.base_facts(name):
                readers.setdefault(fact, []).append(idle)
    return {fact for fact, idle in readers.items() if all(idle)}


def _empty_warnings(ward: WardFacts, pack: Pack) -> Iterator[FactWarning]:
    idle = _idle_facts(ward, pack)
    empty = [(spec.label.vi, spec.label.en) for name, spec in pack.facts.items()
             if _is_empty(ward.current.get(name)) and name not in idle]
    if ward.previous_year is not None or ward.previous:
        empty += [(f"{pack.facts[name].label.vi} (năm trước)",
                   f"{pack.facts[name].label.en} (last year)")
                  for name in pack.previous_year_facts() if _is_empty(ward.previous.get(name))]
    if not empty:
        return
    count = len(empty)
    facts_en = "fact" if count == 1 else "facts"
    yield FactWarning(
        EMPTY, "$.facts",
        f"còn {count} chỉ tiêu chưa nhập: {'; '.join(vi for vi, _ in empty)}. Tiêu chí "
        f"nào cần các chỉ tiêu này sẽ được ghi là thiếu dữ liệu.",
        f"{count} {facts_en} still empty: {'; '.join(en for _, en in empty)}. Criteria "
        f"that need them are marked as missing data.")
