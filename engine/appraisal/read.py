"""Read an appraisal file as strictly as a facts file: bytes → JSON → `AppraisalDocument`.

The file goes through the facts reader's JSON stage (`read_json`: size and depth limits, UTF-8,
duplicate keys, NaN, absurd numbers, each refused with the line or JSON path), then its shape is
checked (`AppraisalFile`), every problem named by its JSON path in Vietnamese and English. The
rounds are kept as they were written too, for their hashes (`cchc.engine.appraisal.chain`). The
file is only ever read.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from cchc.engine.appraisal.model import APPRAISAL_FORMAT, MODEL_AT, AppraisalFile
from cchc.engine.errors import MAX_SHOWN_PROBLEMS, InputError, Problem, input_error
from cchc.engine.facts.read import read_json
from cchc.engine.messages import json_path, validation_problems

APPRAISAL_FILE = ("tệp thẩm định", "appraisal file", "cchc-score appraisal-template FACTS")
# The key under which each kind of list item sits, for "did you mean" on an unknown key.
_ITEMS = {"rounds": "round", "decisions": "decision", "responses": "response",
          "rejected_evidence": "rejected", "evidence": "evidence"}


@dataclass(frozen=True)
class AppraisalDocument:
    """An appraisal file read and shape-checked: its name, the sha256 of its bytes, the checked
    content and the rounds as written (JSON values, numbers as Decimal) for hashing."""

    name: str
    sha256: str
    content: AppraisalFile
    raw_rounds: tuple[dict[str, Any], ...]


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model whose keys are valid at `loc` (the place of an unknown key)."""
    kind = ""
    for part in loc:
        if isinstance(part, str):
            kind = _ITEMS.get(part, part if part in MODEL_AT else kind)
    return MODEL_AT.get(kind, AppraisalFile)


_BLANK = {
    ("appraised_by", "name"): ("chưa điền tên người thẩm định",
                               "the appraiser's name is not filled in",
                               "họ tên cán bộ thẩm định", "the appraiser's full name"),
    ("unit", "ward"): ("tên phường, xã chưa điền", "the ward's name is empty",
                       "tên đơn vị như trong tệp dữ kiện", "the unit's name as in the facts file"),
}


# RFC 8785 numbers are IEEE doubles: a whole number beyond 2^53 has no exact canonical form.
MAX_WHOLE = 2**53
# Control characters a person may type in a text (line breaks, tabs); any other (a bell, an
# escape) would reach the printed report.
_ALLOWED_CONTROLS = frozenset("\n\r\t")


def _hostile_values(node: Any, path: tuple[str | int, ...], out: list[Problem]) -> None:
    """Whole numbers the hash cannot carry exactly, and control characters in texts."""
    if isinstance(node, bool):
        return
    if isinstance(node, int) and abs(node) > MAX_WHOLE:
        out.append(Problem(json_path(path), "số nguyên quá lớn (vượt 2^53): mã sha256 của vòng "
                           "không biểu diễn được chính xác", "a whole number too large (beyond "
                           "2^53): a round's hash cannot carry it exactly",
                           "một số nhỏ hơn 9 007 199 254 740 992",
                           "a number below 9,007,199,254,740,992"))
    elif isinstance(node, str) and any(unicodedata.category(c) == "Cc"
                                       and c not in _ALLOWED_CONTROLS for c in node):
        out.append(Problem(json_path(path), "chuỗi chứa ký tự điều khiển (không in được)",
                           "the text holds a control character (unprintable)",
                           "chữ thường; xuống dòng viết \\n", "plain text; a line break as \\n"))
    elif isinstance(node, dict):
        for key, value in node.items():
            _hostile_values(value, (*path, key), out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _hostile_values(value, (*path, index), out)


def _as_written(raw: bytes, data: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """The rounds exactly as the file writes them (text not normalised: the hash anyone
    recomputes from the file is of these), or as given when there is no file."""
    if raw:
        written = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal)
        return tuple(dict(item) for item in written["rounds"])
    return tuple(dict(item) for item in data["rounds"])


def _blank(loc: tuple[Any, ...], error: Mapping[str, Any]) -> Problem | None:
    """A name left empty (the appraiser's, the ward's), said plainly."""
    tail = tuple(str(part) for part in loc[-2:])
    blank = _BLANK.get((tail[0], tail[1])) if len(tail) == 2 else None
    if blank and error["type"] in ("string_too_short", "value_error", "missing"):
        return Problem(json_path(loc), *blank)
    return None


def parse_appraisal(data: Any, name: str, raw: bytes = b"") -> AppraisalDocument:
    """Check the shape of parsed appraisal-file data; raises InputError naming each place."""
    if not isinstance(data, dict):
        raise input_error(name, "$", "tệp thẩm định phải là một đối tượng JSON { … }",
                          "an appraisal file must hold a JSON object { … }",
                          "xem `cchc-score appraisal-template`",
                          "see `cchc-score appraisal-template`")
    if data.get("format") != APPRAISAL_FORMAT:
        raise input_error(name, "$.format", "đây không phải tệp thẩm định của cchc-score (hoặc "
                          "là phiên bản khác)", "this is not a cchc-score appraisal file (or "
                          "is of another version)", f"\"format\": \"{APPRAISAL_FORMAT}\"",
                          f"\"format\": \"{APPRAISAL_FORMAT}\"")
    hostile: list[Problem] = []
    _hostile_values(data, (), hostile)
    if hostile:
        raise InputError(name, hostile[:MAX_SHOWN_PROBLEMS])
    try:
        content = AppraisalFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(name, validation_problems(
            exc, lambda loc: _model_at(loc).model_fields, _blank)) from None
    return AppraisalDocument(name, hashlib.sha256(raw).hexdigest(), content,
                             _as_written(raw, data))


def read_appraisal(path: Path, display_name: str | None = None) -> AppraisalDocument:
    """Read and shape-check the appraisal file at `path`."""
    name = display_name or str(path)
    data, raw = read_json(path, name, APPRAISAL_FILE)
    return parse_appraisal(data, name, raw)
