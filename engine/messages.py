"""Vietnamese and English wording of validation errors raised by pydantic.

pydantic reports an error type (`missing`, `int_type`, …) and an English message; a ward
officer reads Vietnamese first, so each common type gets a Vietnamese sentence and a plain
"expected" in both languages. Unknown types fall back to pydantic's English text on both sides
rather than hiding it. Unknown keys get a "did you mean" when a known key is close.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from cchc.engine.errors import MAX_SHOWN_PROBLEMS, Problem, more_problems

_DATE = ("cần một ngày dạng NNNN-TT-NN", "một ngày dạng 2025-01-15 (năm-tháng-ngày)",
         "a date as 2025-01-15 (year-month-day)")
_DECIMAL = ("cần một số", "một số, dấu chấm thập phân", "a number, decimal point")
# type -> (Vietnamese problem, expected vi, expected en)
_BY_TYPE: dict[str, tuple[str, str, str]] = {
    "missing": ("thiếu trường bắt buộc", "thêm trường này", "add this field"),
    "extra_forbidden": ("trường này không có trong định dạng", "xóa trường này hoặc sửa tên",
                        "remove it or fix its name"),
    "string_type": ("cần một chuỗi ký tự", "chữ đặt trong dấu ngoặc kép \"…\"",
                    "text in double quotes \"…\""),
    "int_type": ("cần một số nguyên", "một số nguyên, không đặt trong dấu ngoặc kép",
                 "a whole number, without quotes"),
    "int_parsing": ("cần một số nguyên", "một số nguyên, không đặt trong dấu ngoặc kép",
                    "a whole number, without quotes"),
    "int_from_float": ("cần một số nguyên", "một số nguyên (không có phần thập phân)",
                       "a whole number (no decimals)"),
    "bool_type": ("cần true hoặc false", "true hoặc false", "true or false"),
    "list_type": ("cần một danh sách", "một danh sách [ … ]", "a list [ … ]"),
    "dict_type": ("cần một đối tượng", "một đối tượng { … }", "an object { … }"),
    "model_type": ("cần một đối tượng", "một đối tượng { … }", "an object { … }"),
    "model_attributes_type": ("cần một đối tượng", "một đối tượng { … }", "an object { … }"),
    "literal_error": ("giá trị không thuộc các giá trị cho phép", "", ""),
    "greater_than_equal": ("giá trị nhỏ hơn mức tối thiểu", "", ""),
    "less_than_equal": ("giá trị lớn hơn mức tối đa", "", ""),
    "string_too_short": ("chuỗi để trống", "điền nội dung", "fill it in"),
    "string_too_long": ("chuỗi quá dài", "", ""),
    "string_pattern_mismatch": ("chuỗi không đúng dạng", "", ""),
    "value_error": ("giá trị không hợp lệ", "", ""),
    "greater_than": ("giá trị phải lớn hơn mức tối thiểu", "", ""),
    "less_than": ("giá trị phải nhỏ hơn mức tối đa", "", ""),
    "too_long": ("danh sách quá dài, số mục tối đa", "", ""),
    "too_short": ("danh sách quá ngắn, số mục tối thiểu", "", ""),
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": (f"{_DATE[0]} (gói quy tắc không nhận dạng ngày/tháng/năm)",
                                   *_DATE[1:]),
    "decimal_parsing": _DECIMAL,
    "decimal_type": _DECIMAL,
    "decimal_max_places": ("quá nhiều chữ số thập phân", "", ""),
    "decimal_max_digits": ("số quá nhiều chữ số", "", ""),
    "union_tag_invalid": ("giá trị không thuộc các giá trị cho phép", "", ""),
    "bool_parsing": ("cần true hoặc false", "true hoặc false", "true or false"),
    # a number field given text or a boolean (points in an appraisal file)
    "is_instance_of": ("cần một số", "một số, không đặt trong dấu ngoặc kép",
                       "a number, without quotes"),
}

# English messages of our own validators -> Vietnamese
_VALUE_ERRORS = {
    "evidence needs at least a number, a title or a file":
        "tài liệu kiểm chứng cần ít nhất số hiệu (number), trích yếu (title) hoặc tệp (file)",
}


# types whose pydantic wording is replaced by a plainer English one
_EN_BY_TYPE = {
    "missing": "a required field is missing",
    "extra_forbidden": "this key is not part of the format",
    "string_too_short": "the text is empty",
    "model_type": "an object { … } is expected",
    "dict_type": "an object { … } is expected",
    "list_type": "a list [ … ] is expected",
    "string_type": "text is expected",
    "int_type": "a whole number is expected",
    "int_parsing": "a whole number is expected",
    "is_instance_of": "a number is expected",
}


def describe(error: Mapping[str, Any]) -> tuple[str, str]:
    """(Vietnamese, English) sentences for one pydantic error dict."""
    english = _EN_BY_TYPE.get(str(error.get("type")), str(error.get("msg", "invalid value")))
    if english.startswith("Value error, "):
        english = english[len("Value error, "):]
    kind = str(error.get("type"))
    if kind == "value_error":
        return _VALUE_ERRORS.get(english, f"giá trị không hợp lệ: {english}"), english
    vietnamese = _BY_TYPE.get(kind, (english, "", ""))[0]
    ctx = error.get("ctx") or {}
    limit = next((ctx[k] for k in ("gt", "ge", "lt", "le", "min_length", "max_length") if k in ctx),
                 None)
    if limit is not None and vietnamese != english and kind != "string_too_short":
        vietnamese = f"{vietnamese} ({limit})"
    return vietnamese, english


def _expected_from(error: Mapping[str, Any]) -> tuple[str, str]:
    """What a bound or a list of choices expects, from the error's context."""
    ctx = error.get("ctx") or {}
    kind = str(error.get("type"))
    words = {"greater_than_equal": ("≥", "at least"), "greater_than": (">", "more than"),
             "less_than_equal": ("≤", "at most"), "less_than": ("<", "less than")}
    if kind in words:
        bound = next(ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx)
        return f"một số {words[kind][0]} {bound}", f"a number {words[kind][1]} {bound}"
    if kind == "string_too_long" and "max_length" in ctx:
        return (f"tối đa {ctx['max_length']} ký tự", f"at most {ctx['max_length']} characters")
    if kind == "too_long" and "max_length" in ctx:
        return f"tối đa {ctx['max_length']} mục", f"at most {ctx['max_length']} items"
    if kind == "literal_error" and "expected" in ctx:
        choices = str(ctx["expected"])
        given = error.get("input")
        hint = ("", "")
        if isinstance(given, str) and f"'{given.strip().lower()}'" in choices:
            hint = (f" (viết thường: '{given.strip().lower()}')",
                    f" (in lower case: '{given.strip().lower()}')")
        return (f"một trong: {choices.replace(' or ', ' hoặc ')}{hint[0]}",
                f"one of: {choices}{hint[1]}")
    return "", ""


def problem(where: str, error: Mapping[str, Any], known: Iterable[str] = (),
            cheap: bool = False) -> Problem:
    """A Problem for one pydantic error; `known` are the valid keys where it stands. `cheap`
    (past the problems an error shows) skips the "did you mean" search."""
    vi, en = describe(error)
    _, expected_vi, expected_en = _BY_TYPE.get(str(error.get("type")), ("", "", ""))
    loc = error.get("loc") or ()
    if error.get("type") == "string_pattern_mismatch" and loc and str(loc[-1]).endswith(
            "sha256"):
        vi, en = "mã sha256 không đúng dạng", "not a sha256 digest"
        expected_vi = "đúng 64 ký tự 0–9, a–f: mã sha256 của tệp (sha256sum TỆP)"
        expected_en = "exactly 64 hex digits 0–9, a–f: the file's sha256 (sha256sum FILE)"
    if not expected_vi:  # say the bound or the choices pydantic checked against
        expected_vi, expected_en = _expected_from(error)
    if error.get("type") == "extra_forbidden":
        key = str(error["loc"][-1]) if error.get("loc") else ""
        # a match is only looked for among short keys: the search grows with the key's length
        close = [] if cheap or len(key) > 100 else \
            difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        if close:
            expected_vi, expected_en = (f"có phải ý bạn là '{close[0]}'?",
                                        f"did you mean '{close[0]}'?")
        elif known:
            names = ", ".join(known)
            expected_vi, expected_en = f"một trong: {names}", f"one of: {names}"
    return Problem(where, vi, en, expected_vi, expected_en)


def json_path(parts: tuple[str | int, ...]) -> str:
    """`$.facts.ho_so_so_hoa.evidence[0]` from ('facts', 'ho_so_so_hoa', 'evidence', 0)."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def capped_errors(exc: ValidationError, where: str) -> tuple[list[Problem], list[Any]]:
    """The errors worth a problem each (the first MAX_SHOWN_PROBLEMS), and — when there are
    more — one problem at `where` saying how many, so a flood is never built one by one."""
    errors = exc.errors()
    head = [more_problems(where, len(errors) - MAX_SHOWN_PROBLEMS)] \
        if len(errors) > MAX_SHOWN_PROBLEMS else []
    return head, list(errors[:MAX_SHOWN_PROBLEMS])


def validation_problems(exc: ValidationError, fields_at: Callable[[tuple[Any, ...]], Iterable[str]],
                        instead: Callable[[tuple[Any, ...], Mapping[str, Any]], Problem | None]
                        = lambda loc, error: None) -> list[Problem]:
    """A file's pydantic errors as Problems at their JSON paths (at most MAX_SHOWN_PROBLEMS,
    then how many more): each one `instead` words itself, else in the common words, with "did
    you mean" among the keys `fields_at` gives for the place of an unknown key."""
    problems, errors = capped_errors(exc, "$")
    for error in errors:
        loc = tuple(error["loc"])
        own = instead(loc, error)
        problems.append(own if own is not None else problem(
            json_path(loc), error, fields_at(loc[:-1]),
            cheap=len(problems) >= MAX_SHOWN_PROBLEMS))
    return problems
