"""A value typed as text by a person — an Excel cell, `--set fact=value` — read as a Vietnamese
clerk means it, or refused with the reading it would have taken.

The result is what a facts file would hold (`int`, `Decimal`, `bool`, an ISO date text or
`False`, a level id, a list of ISO dates, `None` for a blank), so it goes through the same
checks (`facts.check`) as a JSON facts file, and converts back to JSON without loss.

Numbers are read the Vietnamese way: the dot groups thousands and the comma marks decimals
(`1.200` = 1 200, `12,5` = 12,5, `1.234,5`; a space or a non-breaking space may group too).
What could mean two things is refused with both readings rather than guessed:

- `12.5` (a dot that cannot group thousands) is refused: "gõ 12,5";
- `1,200` on a whole-number fact is refused (1,2 is not whole: "1.200 hoặc 1200");
- `1.200` on a number fact reads 1 200; if that is out of the fact's bounds and 1,2 is not,
  the message says it would have read 1 200, and to type 1,2;
- `85%` is read as 85 only where the fact's unit is a percentage.

Dates are day first (`15/03/2024`, `15-03-2024`, `15.03.2024`) or ISO; `Chưa thực hiện`
means not done (a date fact's `false`). Yes/no facts take `Có`/`Không`, `Đã`/`Chưa thực hiện`,
the pack's own answers, `x`, `true`/`false`, `1`/`0`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from cchc.engine.dates import DateFormatError, parse_date
from cchc.engine.numbers import fmt
from cchc.rules.schema import FactSpec

MAX_TYPED = 2000  # a cell or option longer than this is not a value

NOT_DONE = ("chưa thực hiện", "chưa", "not done", "no")
PENDING_WORDS = ("chờ kết quả", "chờ", "chưa công bố", "pending")  # an index not yet published
_YES = ("có", "đã thực hiện", "đã", "x", "true", "1", "yes", "done", "đạt")
_NO = ("không", "chưa thực hiện", "chưa", "false", "0", "no", "not done", "không đạt")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$", re.ASCII)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$", re.ASCII)  # 1.200 / 1.234,5
_PLAIN = re.compile(r"^\d+(,\d+)?$", re.ASCII)  # 1200 / 12,5
_ENGLISH = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+\.\d+$", re.ASCII)  # 1,200.5 / 12.5
_LIST_SEPARATORS = re.compile(r"[;\n,]+")
# characters a paste from the web brings that no one sees (zero-width space, soft hyphen…)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


class TypedTextError(ValueError):
    """A typed value refused: what is wrong and what to type, in Vietnamese and English."""

    def __init__(self, vi: str, en: str, expected_vi: str, expected_en: str) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en
        self.expected_vi, self.expected_en = expected_vi, expected_en


def fold(text: str) -> str:
    """Text compared as a person reads it: NFC, case-folded, spaces squeezed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).casefold().strip()


def _shown(text: str) -> str:
    return f"«{text}»" if len(text) <= 40 else f"«{text[:37]}…»"


def _is_percent(spec: FactSpec) -> bool:
    return spec.unit is not None and "%" in spec.unit.vi


def read_number(text: str, spec: FactSpec) -> int | Decimal:
    """A count, rank or number typed the Vietnamese way (see the module's doc)."""
    whole = spec.type in ("count", "rank")
    raw = text.strip()
    body = _SPACES.sub("", raw).replace("\u2212", "-")
    negative = body.startswith("-")
    if body[:1] in ("+", "-"):
        body = body[1:]
    percent = body.endswith("%")
    if percent:
        body = body[:-1]
        if not _is_percent(spec):
            raise TypedTextError(
                f"{_shown(raw)} là một tỉ lệ, nhưng dữ kiện này là "
                f"{'số lượng' if whole else 'một số'}"
                + (f" ({spec.unit.vi})" if spec.unit else ""),
                f"{_shown(raw)} is a percentage, but this fact is "
                f"{'a count' if whole else 'a number'}"
                + (f" ({spec.unit.en})" if spec.unit else ""),
                "chỉ con số, không có dấu %", "the figure alone, without %")
    if _GROUPED.match(body):
        vi_text = body.replace(".", "").replace(",", ".")
    elif _PLAIN.match(body):
        vi_text = body.replace(",", ".")
    elif _ENGLISH.match(body) and whole and "," not in body:
        raise TypedTextError(
            f"{_shown(raw)} không phải là một số nguyên (dấu chấm chỉ để phân cách hàng nghìn)",
            f"{_shown(raw)} is not a whole number (a dot only groups thousands)",
            "một số nguyên, ví dụ 12 hoặc 1.200", "a whole number, e.g. 12 or 1.200 (1 200)")
    elif _ENGLISH.match(body):
        english = body.replace(",", "")
        vi_form = fmt(Decimal(english), "vi")
        raise TypedTextError(
            f"{_shown(raw)} viết theo kiểu tiếng Anh (dấu chấm thập phân)",
            f"{_shown(raw)} is written the English way (a decimal point)",
            f"gõ {vi_form} (dấu phẩy thập phân, dấu chấm hoặc khoảng trắng phân cách hàng nghìn)",
            f"type {vi_form} (Vietnamese: a decimal comma, dots or spaces grouping thousands)")
    else:
        raise TypedTextError(
            f"{_shown(raw)} không phải là một số", f"{_shown(raw)} is not a number",
            "một số, ví dụ 1.200 hoặc 12,5" if not whole else "một số nguyên, ví dụ 1.200",
            "a number, e.g. 1.200 (1 200) or 12,5 (12.5)" if not whole
            else "a whole number, e.g. 1.200 (1 200)")
    try:
        value = Decimal(vi_text)
    except InvalidOperation:  # pragma: no cover - the patterns admit only digits
        raise TypedTextError(f"{_shown(raw)} không phải là một số",
                             f"{_shown(raw)} is not a number", "một số", "a number") from None
    if negative:
        value = -value
    if whole:
        if value != value.to_integral_value():
            grouped = body.replace(",", ".")
            raise TypedTextError(
                f"{_shown(raw)} được đọc là {fmt(value)} (dấu phẩy thập phân): không phải số "
                "nguyên",
                f"{_shown(raw)} reads as {fmt(value, 'en')} (a decimal comma): not a whole "
                "number",
                f"một số nguyên; nếu là {fmt(int(Decimal(grouped.replace('.', ''))))}, gõ "
                f"{grouped} hoặc {grouped.replace('.', '')}"
                if re.fullmatch(r"\d{1,3}(\.\d{3})+", grouped, re.ASCII) else "một số nguyên",
                "a whole number (the dot groups thousands)")
        return int(value)
    if _GROUPED.match(body) and "," not in body and (
            (spec.maximum is not None and value > spec.maximum)
            or (spec.minimum is not None and value < spec.minimum)):
        as_decimal = Decimal(body.replace(".", "", body.count(".") - 1))
        raise TypedTextError(
            f"{_shown(raw)} được đọc là {fmt(value)} (dấu chấm phân cách hàng nghìn), ngoài "
            f"khoảng {fmt(spec.minimum if spec.minimum is not None else 0)} – "
            f"{fmt(spec.maximum) if spec.maximum is not None else '…'}",
            f"{_shown(raw)} reads as {fmt(value, 'en')} (the dot grouping thousands), outside "
            "the fact's bounds",
            f"nếu là {fmt(as_decimal)}, gõ {fmt(as_decimal)} (dấu phẩy thập phân)",
            f"if {fmt(as_decimal, 'en')} is meant, type {fmt(as_decimal)} (a decimal comma)")
    return value


def read_date(text: str, not_done: bool = True) -> str | bool:
    """A day typed day first (15/03/2024, 15-03-2024, 15.03.2024) or ISO, as ISO text; `False`
    for "Chưa thực hiện" (where not done is a value)."""
    raw = text.strip()
    if not_done and fold(raw) in NOT_DONE:
        return False
    match = _DAY_FIRST.match(raw)
    candidate = f"{match.group(1)}/{match.group(2)}/{match.group(3)}" if match else raw
    try:
        return parse_date(candidate).isoformat()
    except DateFormatError as error:
        why = ("không phải là một ngày có thật", "is not a real date") if error.impossible \
            else ("không đúng dạng ngày", "is not a date")
        raise TypedTextError(
            f"{_shown(raw)} {why[0]}", f"{_shown(raw)} {why[1]}",
            "ngày/tháng/năm, ví dụ 15/03/2024" + ("; «Chưa thực hiện» nếu chưa làm"
                                                  if not_done else ""),
            "day/month/year, e.g. 15/03/2024" + ("; «Chưa thực hiện» if not done"
                                                 if not_done else "")) from None


def answer_words(spec: FactSpec) -> tuple[str, str]:
    """How a yes/no fact's two values are written in a form (Có / Không, or the pack's)."""
    if spec.answers is not None:
        return spec.answers.if_true.vi, spec.answers.if_false.vi
    return "Có", "Không"


def read_boolean(text: str, spec: FactSpec) -> bool:
    """Có / Không (or the pack's own answers, or x, true/false, 1/0)."""
    wanted = fold(text)
    yes, no = answer_words(spec)
    extra_yes = {fold(yes)} | ({fold(spec.answers.if_true.en)} if spec.answers else set())
    extra_no = {fold(no)} | ({fold(spec.answers.if_false.en)} if spec.answers else set())
    if wanted in extra_yes or (wanted in _YES and wanted not in extra_no):
        return True
    if wanted in extra_no or wanted in _NO:
        return False
    raise TypedTextError(f"{_shown(text.strip())} không phải là {yes} hoặc {no}",
                         f"{_shown(text.strip())} is neither yes nor no",
                         f"{yes} hoặc {no}", f"{yes} (yes) or {no} (no)")


def read_level(text: str, spec: FactSpec) -> str:
    """A level by its id or its Vietnamese or English name."""
    wanted = fold(text)
    for level in spec.levels or ():
        if wanted in (level.id, fold(level.vi), fold(level.en)):
            return level.id
    names = "; ".join(level.vi for level in spec.levels or ())
    raise TypedTextError(f"{_shown(text.strip())} không phải là một mức của dữ kiện này",
                         f"{_shown(text.strip())} is not one of this fact's levels",
                         f"một trong: {names}",
                         "one of: " + "; ".join(level.en for level in spec.levels or ()))


def read_typed(text: str, spec: FactSpec) -> Any:
    """The value `text` means for a fact of `spec`'s type, as a facts file holds it; `None`
    for a blank. Raises TypedTextError (a table is never one typed value)."""
    text = text.translate(_INVISIBLE) if not text.isascii() else text
    if len(text) > MAX_TYPED:
        raise TypedTextError(f"giá trị dài {len(text):,} ký tự".replace(",", "."),
                             f"the value is {len(text):,} characters long",
                             "một giá trị ngắn", "a short value")
    if not text.strip():
        return None
    kind = spec.type
    if kind in ("count", "rank", "number"):
        return read_number(text, spec)
    if kind == "boolean":
        return read_boolean(text, spec)
    if kind == "date":
        return read_date(text)
    if kind == "level":
        return read_level(text, spec)
    if kind == "dates":
        if fold(text) in NOT_DONE or fold(text) in ("không có", "none", "[]"):
            return []
        return [read_date(part, not_done=False) for part in _LIST_SEPARATORS.split(text)
                if part.strip()]
    raise TypedTextError("dữ kiện dạng bảng không nhập được bằng một giá trị",
                         "a table fact is not one typed value",
                         "điền bảng trong tệp dữ kiện", "fill the table in the facts file")
