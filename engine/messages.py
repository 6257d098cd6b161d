"""Vietnamese and English wording of validation errors raised by pydantic.

pydantic reports an error type (`missing`, `int_type`, …) and an English message; a ward
officer reads Vietnamese first, so each common type gets a Vietnamese sentence. Unknown types
fall back to pydantic's English text on both sides rather than hiding it.
"""

from __future__ import annotations

from typing import Any

_VI_BY_TYPE = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường này không có trong định dạng",
    "string_type": "cần một chuỗi ký tự",
    "int_type": "cần một số nguyên",
    "int_parsing": "cần một số nguyên",
    "int_from_float": "cần một số nguyên (không có phần thập phân)",
    "float_type": "cần một số",
    "decimal_type": "cần một số",
    "decimal_parsing": "cần một số",
    "bool_type": "cần true hoặc false",
    "bool_parsing": "cần true hoặc false",
    "list_type": "cần một danh sách [ … ]",
    "dict_type": "cần một đối tượng { … }",
    "model_type": "cần một đối tượng { … }",
    "date_type": "cần một ngày",
    "date_parsing": "cần một ngày dạng YYYY-MM-DD",
    "date_from_datetime_parsing": "cần một ngày dạng YYYY-MM-DD",
    "literal_error": "giá trị không thuộc các giá trị cho phép",
    "union_tag_invalid": "giá trị không thuộc các giá trị cho phép",
    "union_tag_not_found": "thiếu trường phân loại",
    "greater_than": "giá trị phải lớn hơn mức cho phép",
    "greater_than_equal": "giá trị nhỏ hơn mức tối thiểu",
    "less_than_equal": "giá trị lớn hơn mức tối đa",
    "less_than": "giá trị phải nhỏ hơn mức cho phép",
    "string_too_short": "chuỗi quá ngắn hoặc để trống",
    "string_too_long": "chuỗi quá dài",
    "too_short": "danh sách quá ngắn hoặc để trống",
    "too_long": "danh sách quá dài",
    "decimal_max_places": "quá nhiều chữ số thập phân",
    "decimal_max_digits": "quá nhiều chữ số",
    "string_pattern_mismatch": "chuỗi không đúng dạng",
    "value_error": "giá trị không hợp lệ",
}


def describe(error: dict[str, Any]) -> tuple[str, str]:
    """(Vietnamese, English) sentences for one pydantic error dict."""
    english = str(error.get("msg", "invalid value"))
    if english.startswith("Value error, "):
        english = english[len("Value error, "):]
    vietnamese = _VI_BY_TYPE.get(str(error.get("type")), english)
    ctx = error.get("ctx") or {}
    limit = next((ctx[k] for k in ("gt", "ge", "lt", "le", "min_length", "max_length") if k in ctx),
                 None)
    if limit is not None and vietnamese != english:
        vietnamese = f"{vietnamese} ({limit})"
    if error.get("type") == "value_error":
        vietnamese = f"{vietnamese}: {english}"
    return vietnamese, english
