"""Read a fact given as an object (`{"value": …, "evidence": […]}`) without building a model.

`FactEntry` (pydantic, strict) is the definition of a valid entry and the source of every
error message about one. Most entries are plainly valid: this module recognises those with a
few type checks and reads their fields directly, validating only their evidence documents with
`Evidence`. Anything it is not sure of — an unexpected key or type, a text too long or not
valid Unicode, a date out of range, evidence that does not validate — goes to
`FactEntry.model_validate`, so what is accepted and every message about what is refused stay
exactly pydantic's. Read a check here as "the strict schema surely accepts this".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from cchc.engine.facts.model import MAX_EVIDENCE, MAX_TEXT, Evidence, FactEntry

_KEYS = frozenset(FactEntry.model_fields)
# Optional texts of an entry, and the longest each may be (None: no limit).
_TEXTS: dict[str, int | None] = {"note": MAX_TEXT, "label_vi": None, "label_en": None,
                                 "unit": None, "hint": None}
# A lone surrogate ("\ud800") is not text pydantic accepts (string_unicode).
_SURROGATE = re.compile("[\ud800-\udfff]")


class Entry:
    """The fields of a valid fact entry that the check reads (as `FactEntry` has them)."""

    __slots__ = ("edition", "evidence", "note", "pending", "value")

    def __init__(self, value: Any, edition: int | None, pending: bool,
                 evidence: list[Evidence], note: str | None) -> None:
        self.value, self.edition, self.pending = value, edition, pending
        self.evidence, self.note = evidence, note


def _plain_text(value: Any, longest: int | None) -> bool:
    if value is None:
        return True
    return type(value) is str and (longest is None or len(value) <= longest) \
        and (value.isascii() or _SURROGATE.search(value) is None)


def _plain(given: Mapping[str, Any]) -> bool:
    """Whether the strict `FactEntry` schema surely accepts `given`, evidence aside."""
    for key, value in given.items():
        if key not in _KEYS:
            return False
        if key == "edition":
            if value is not None and not (type(value) is int and 2000 <= value <= 2100):
                return False
        elif key == "pending":
            if type(value) is not bool:
                return False
        elif key == "evidence":
            if type(value) is not list or len(value) > MAX_EVIDENCE:
                return False
        elif key != "value" and not _plain_text(value, _TEXTS[key]):
            return False
    return True


def _evidence(item: Any, seen: dict[tuple, Evidence]) -> Evidence:
    """`Evidence.model_validate(item)`, once per distinct item of a facts file (one report
    backs many facts). The key holds each value's type, so 1 and true, or 1 and 1.0, which
    are equal in Python but not to the strict schema, never share a document."""
    if not isinstance(item, dict):
        return Evidence.model_validate(item)
    key = tuple([(name, value.__class__, value) for name, value in item.items()])
    try:
        return seen[key]
    except KeyError:
        document = seen[key] = Evidence.model_validate(item)
        return document
    except TypeError:  # a list or an object as a value: not a valid document anyway
        return Evidence.model_validate(item)


def read_entry(given: Mapping[str, Any], seen: dict[tuple, Evidence]) -> Entry | FactEntry:
    """The entry's fields; raises pydantic's ValidationError (from `FactEntry`) if invalid.
    `seen`: the evidence documents already read from the same file (frozen, so shared)."""
    if _plain(given):
        try:
            evidence = [_evidence(item, seen) for item in given.get("evidence", ())]
        except ValidationError:
            pass  # FactEntry says where, with the item's index
        else:
            return Entry(given.get("value"), given.get("edition"), given.get("pending", False),
                         evidence, given.get("note"))
    return FactEntry.model_validate(given)
