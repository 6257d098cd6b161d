"""Read a facts file strictly and safely, with errors that say where: bytes → JSON → a
`FactsDocument` whose structure (unit, year, pack, sections) is checked.

Refused, each with the file and (where there is one) the JSON path or line and column: a missing
file, a directory, an unreadable file, a file over MAX_BYTES or nested deeper than MAX_DEPTH
(checked before parsing, so an absurd file is refused quickly), bytes that are not UTF-8 (a UTF-8
byte-order mark is accepted), malformed JSON, duplicate keys, NaN and Infinity. Decimal numbers
are read as `Decimal`, so 86.1 stays exactly 86.1. The file is only ever read.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cchc.engine.errors import (
    InputError,
    Problem,
    input_error,
)
from cchc.engine.facts.model import MODEL_AT, FactsDocument, FactsFile
from cchc.engine.messages import json_path, validation_problems
from cchc.engine.numbers import fmt

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32

# json's messages -> (Vietnamese, plain English), with the usual cause
_SYNTAX = {
    "Expecting ',' delimiter": (
        "thiếu dấu phẩy (,) giữa hai mục — thường ở cuối dòng trước",
        "a comma (,) is missing between two items — usually at the end of the line before"),
    "Expecting property name enclosed in double quotes": (
        "cần tên khóa trong dấu ngoặc kép — hoặc thừa dấu phẩy trước dấu }",
        "a key in double quotes is expected — or there is a stray comma before }"),
    "Expecting value": (
        "thiếu giá trị — có thể thừa dấu phẩy, hoặc có chú thích (JSON không cho phép chú thích)",
        "a value is missing — perhaps a stray comma, or a comment (JSON allows none)"),
    "Expecting ':' delimiter": ("thiếu dấu hai chấm (:) sau tên khóa",
                                "a colon (:) is missing after the key"),
    "Extra data": ("có nội dung thừa sau khi đối tượng JSON đã đóng",
                   "there is more text after the JSON object ends"),
    "Unterminated string starting at": ("chuỗi chưa đóng dấu ngoặc kép",
                                        "a text is not closed with a double quote"),
    "Invalid control character at": (
        "ký tự điều khiển trong chuỗi (xuống dòng hoặc tab trong dấu ngoặc kép)",
        "a control character inside a text (a line break or tab inside quotes)"),
    "Invalid \\escape": ("dấu \\ không hợp lệ trong chuỗi (đường dẫn Windows cần \\\\)",
                         "an invalid \\ in a text (Windows paths need \\\\)"),
}

# What a file is called in messages, and the command that writes one to fill in.
FACTS_FILE = ("tệp dữ kiện", "facts file", "cchc-score template")

# The characters the depth check looks at: brackets, and what opens, closes or escapes a string.
_STRUCTURE = re.compile(r'[\[\]{}"\\]')
# A number is at most this long as typed, with an exponent of at most this size: far beyond any
# figure of a ward (10^12 with 6 decimals is 20 characters), and small enough that no arithmetic
# on it can take long (1e-1000000 would make rounding and printing crawl).
MAX_NUMBER_CHARS = 40
MAX_EXPONENT = 30


class _NonFinite:
    """Placeholder for NaN / Infinity, found and reported with its path after parsing."""

    def __init__(self, token: str) -> None:
        self.token = token


class _Unreadable:
    """Placeholder for a number too long or too large to be a ward's figure."""

    def __init__(self, token: str) -> None:
        self.token = token


def _parse_float(token: str) -> Decimal | _Unreadable:
    if len(token) > MAX_NUMBER_CHARS:
        return _Unreadable(token)
    try:
        value = Decimal(token)
    except InvalidOperation:  # an exponent beyond what Decimal holds: 1e9999999999999999999
        return _Unreadable(token)
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        return _Unreadable(token)
    return value


def _parse_int(token: str) -> int | _Unreadable:
    if len(token) > MAX_NUMBER_CHARS:  # before int(): its cost grows with the digits
        return _Unreadable(token)
    return int(token)


class _Object(dict):
    """A JSON object that remembers the keys it saw twice."""

    duplicates: list[str]


def _with_duplicates(pairs: list[tuple[str, Any]]) -> _Object:
    """An object some of whose keys come twice (the last value kept), and those keys."""
    obj = _Object(pairs)
    seen: set[str] = set()
    obj.duplicates = []
    for key, _ in pairs:
        if key in seen:
            obj.duplicates.append(key)
        seen.add(key)
    return obj


# A text escape that can make a string no file may hold: NUL, or half a surrogate pair. Only
# when one appears (or a hook below flags a value) is the parsed tree walked for bad values.
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # a string, escapes and all
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _deep(text: str) -> bool:
    """Whether the file may nest deeper than MAX_DEPTH: the brackets outside strings, counted
    at C speed (a string left unclosed only makes this say yes, and the exact pass decides).
    A text with an escaped quote goes to the exact pass: there the string pattern could retry
    from every quote (quadratic on '["\\"\\"\\"…' unclosed)."""
    if '\\"' in text:
        return True
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if brackets.count("[") + brackets.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for char in brackets:
        depth += 1 if char in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _check_depth(name: str, text: str, kind: tuple[str, str, str] | None = None) -> None:
    """Refuse nesting deeper than MAX_DEPTH before parsing. A quick count of the brackets
    outside strings first; only a file that may be too deep gets the exact pass over the
    structural characters, skipping strings (an escaped character is skipped with its
    backslash), which finds the line and column: linear in the file, whatever it holds."""
    if not _deep(text):
        return
    depth = 0
    in_string = False
    skip_to = -1
    for match in _STRUCTURE.finditer(text):
        at = match.start()
        if at < skip_to:
            continue
        char = text[at]
        if in_string:
            if char == "\\":
                skip_to = at + 2
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _line_col(text, at)
                raise input_error(
                    name, f"dòng {line}, cột {col} / line {line}, column {col}",
                    f"tệp lồng nhau quá {MAX_DEPTH} cấp",
                    f"the file is nested more than {MAX_DEPTH} levels deep",
                    f"một {(kind or FACTS_FILE)[0]} theo mẫu `{(kind or FACTS_FILE)[2]}`",
                    f"a {(kind or FACTS_FILE)[1]} shaped like `{(kind or FACTS_FILE)[2]}`'s")
        elif char in "]}":
            depth -= 1


def _encodable(text: str) -> bool:
    """Whether a text can be written out as UTF-8 (a lone surrogate from "\\ud800" cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _find_bad_values(node: Any, path: tuple[str | int, ...], out: list[Problem]) -> None:
    if isinstance(node, _Unreadable):
        shown = node.token if len(node.token) <= 24 else \
            f"{node.token[:20]}… ({len(node.token)} ký tự / characters)"
        out.append(Problem(json_path(path), f"số {shown} quá dài hoặc quá lớn để là số liệu",
                           f"the number {shown} is too long or too large to be a figure",
                           f"một số tối đa {MAX_NUMBER_CHARS} ký tự, dưới "
                           f"1e{MAX_EXPONENT + 1}",
                           f"a number of at most {MAX_NUMBER_CHARS} characters, below "
                           f"1e{MAX_EXPONENT + 1}"))
    elif isinstance(node, str) and not _encodable(node):
        out.append(Problem(json_path(path), "chuỗi chứa ký tự không hợp lệ (nửa cặp surrogate "
                           "\\ud800–\\udfff)", "the text holds an invalid character (a lone "
                           "surrogate \\ud800–\\udfff)", "chữ Unicode hợp lệ",
                           "valid Unicode text"))
    elif isinstance(node, str) and "\x00" in node:
        out.append(Problem(json_path(path), "chuỗi chứa ký tự NUL (\\u0000)",
                           "the text holds a NUL character (\\u0000)",
                           "chữ thường, không có ký tự điều khiển",
                           "plain text, with no control characters"))
    elif isinstance(node, _NonFinite):
        out.append(Problem(json_path(path), f"giá trị {node.token} không phải là số hữu hạn",
                           f"{node.token} is not a finite number",
                           "một số hữu hạn, hoặc null nếu chưa có số liệu",
                           "a finite number, or null when there is no data"))
    elif isinstance(node, dict):
        for key in node:
            if "\x00" in key or not _encodable(key):
                out.append(Problem(json_path(path), "tên khóa chứa ký tự NUL (\\u0000)",
                                   "a key holds a NUL character (\\u0000)",
                                   "tên khóa theo mẫu", "a key as the template gives it"))
        for key in getattr(node, "duplicates", ()):
            out.append(Problem(json_path((*path, key)), f"khóa \"{key}\" xuất hiện nhiều lần",
                               f"key \"{key}\" appears more than once",
                               "mỗi khóa chỉ một lần", "each key once"))
        for key, value in node.items():
            _find_bad_values(value, (*path, key), out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _find_bad_values(value, (*path, index), out)


def read_bytes(path: Path, name: str, kind: tuple[str, str, str] | None = None,
               suffix: str = ".json") -> bytes:
    """The bytes of the input file at `path`, read only if it is a readable regular file of at
    most MAX_BYTES; raises InputError naming the file (shown as `name`) otherwise."""
    kind = kind or FACTS_FILE
    wanted = (f"đường dẫn tới một {kind[0]} {suffix}", f"the path of a {suffix} {kind[1]}")
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except (OSError, ValueError) as exc:  # a name too long, a NUL in the name
        raise input_error(name, "$", f"đường dẫn không dùng được ({exc})",
                          f"the path cannot be used ({exc})", *wanted) from None
    if not exists:
        raise input_error(name, "$", "không tìm thấy tệp", "file not found",
                          *wanted)
    if is_dir:
        raise input_error(name, "$", "đây là một thư mục, không phải tệp",
                          "this is a directory, not a file",
                          *wanted)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a device (/dev/zero) or a FIFO: never read it
            raise input_error(name, "$", "đây không phải là một tệp thường (thiết bị hoặc ống)",
                              "this is not a regular file (a device or a pipe)",
                              *wanted)
        size = status.st_size
        if size > MAX_BYTES:
            raise input_error(name, "$", f"tệp quá lớn ({fmt(size)} byte)",
                              f"the file is too large ({fmt(size, 'en')} bytes)",
                              f"tối đa {fmt(MAX_BYTES)} byte",
                              f"at most {fmt(MAX_BYTES, 'en')} bytes")
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise input_error(name, "$", f"không đọc được tệp ({exc.strerror})",
                          f"cannot read the file ({exc.strerror})",
                          "một tệp có quyền đọc", "a readable file") from None
    if len(raw) > MAX_BYTES:  # the file grew, or is a device that reports no size
        raise input_error(name, "$", "tệp quá lớn", "the file is too large",
                          f"tối đa {fmt(MAX_BYTES)} byte",
                          f"at most {fmt(MAX_BYTES, 'en')} bytes")
    return raw


def read_json(path: Path, display_name: str | None = None,
              kind: tuple[str, str, str] | None = None) -> tuple[Any, bytes]:
    """Parse the JSON file at `path`; return the data and the raw bytes (for hashing).

    Raises InputError (exit status 2) with the file, the place and what was expected (`kind`
    names the file in the messages and the command that writes one: a facts file, by default,
    or an appraisal file).
    """
    kind = kind or FACTS_FILE
    name = display_name or str(path)
    raw = read_bytes(path, name, kind)
    if raw[:4] == b"PK\x03\x04":  # a workbook saved under a .json name
        raise input_error(name, "$", "đây là tệp Excel (.xlsx) mang tên .json",
                          "this is an Excel workbook (.xlsx) under a .json name",
                          "đổi tên tệp thành .xlsx", "rename the file to .xlsx")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise input_error(name, f"byte {exc.start} (dòng {line} / line {line})",
                          "tệp không được mã hóa UTF-8", "the file is not UTF-8 encoded",
                          "lưu tệp dưới dạng UTF-8 (trong Excel/Notepad: 'UTF-8')",
                          "save the file as UTF-8") from None
    text = unicodedata.normalize("NFC", text)  # Vietnamese typed in decomposed form (NFD)
    _check_depth(name, text, kind)
    flagged: list[object] = []  # a value the walk below must find and name

    def objects(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        flagged.append(pairs)
        return _with_duplicates(pairs)

    def floats(token: str) -> Decimal | _Unreadable:
        value = _parse_float(token)
        if type(value) is _Unreadable:
            flagged.append(value)
        return value

    def ints(token: str) -> int | _Unreadable:
        value = _parse_int(token)
        if type(value) is _Unreadable:
            flagged.append(value)
        return value

    def constants(token: str) -> _NonFinite:
        flagged.append(token)
        return _NonFinite(token)

    try:
        data = json.loads(text, object_pairs_hook=objects, parse_float=floats,
                          parse_int=ints, parse_constant=constants)
    except json.JSONDecodeError as exc:
        if not text.strip():
            raise input_error(name, "$", "tệp rỗng", "the file is empty",
                              f"xem `{kind[2]}`", f"see `{kind[2]}`") from None
        vi, en = _SYNTAX.get(exc.msg, (exc.msg, exc.msg))
        lines = text.splitlines()
        shown = lines[exc.lineno - 1].strip()[:80] if exc.lineno <= len(lines) else ""
        raise input_error(name, f"dòng {exc.lineno}, cột {exc.colno} / line {exc.lineno}, "
                          f"column {exc.colno}: «{shown}»", f"JSON không hợp lệ: {vi}",
                          f"invalid JSON: {en}",
                          "JSON hợp lệ (mở bằng trình soạn thảo có kiểm tra JSON)",
                          "valid JSON (an editor that checks JSON helps)") from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer with thousands of digits
        raise input_error(name, "$", f"không đọc được số liệu: {exc}",
                          f"cannot read a value: {exc}", "JSON hợp lệ", "valid JSON") from None
    if flagged or _SUSPECT_ESCAPE.search(text):
        problems: list[Problem] = []
        _find_bad_values(data, (), problems)
        if problems:
            raise InputError(name, problems)
    return data, raw


def read_facts(path: Path, display_name: str | None = None) -> FactsDocument:
    """Read the facts file at `path` and check its structure (first stage of the pipeline)."""
    name = display_name or str(path)
    data, raw = read_json(path, name)
    return parse_facts(data, name, raw)


def _unnamed_ward(loc: tuple[Any, ...], error: Mapping[str, Any]) -> Problem | None:
    """The ward's name left empty, said as a clerk would understand it."""
    if loc == ("unit", "ward") and error["type"] in ("string_too_short", "missing"):
        return Problem(json_path(loc), "tên phường, xã chưa điền", "the ward's name is empty",
                       "tên đơn vị như trên con dấu, ví dụ \"Phường 1\"",
                       "the unit's name as on its seal, e.g. \"Phường 1\"")
    return None


def parse_facts(data: Any, name: str, raw: bytes = b"") -> FactsDocument:
    """Check the structure of parsed facts-file data (numbers as int or Decimal, as read_json
    gives them): the unit, the year, the pack it names. The values are checked against a pack
    by `check_facts`, once the pack is chosen from what this says."""
    if not isinstance(data, dict):
        raise input_error(name, "$", "tệp phải là một đối tượng JSON { … }",
                          "the file must hold a JSON object { … }", "xem `cchc-score template`",
                          "see `cchc-score template`")
    try:
        parsed = FactsFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(name, validation_problems(
            exc, lambda loc: MODEL_AT.get(loc, FactsFile).model_fields, _unnamed_ward)) from None
    return FactsDocument(name=name, sha256=hashlib.sha256(raw).hexdigest(), content=parsed)
