"""A facts file written as JSON (`cchc-score convert ward.xlsx -o ward.json`): the file a ward
would have typed, with every decimal exactly as read (12,5 → 12.5; no binary rounding).

Only what the facts file format holds is written: the unit, the year, the pack, who prepared it
and when, each fact (as `{value, edition, pending, evidence, note}`, the keys it has) and last
year's facts.
"""

from __future__ import annotations

import json
import secrets
from decimal import Decimal
from typing import Any

from cchc.engine.facts.model import FactsFile


def _plain(node: Any, numbers: dict[str, str], marker: str) -> Any:
    """`node` with each Decimal replaced by a unique marker text (put back as a number)."""
    if isinstance(node, Decimal):
        key = f"{marker}{len(numbers)}"
        numbers[key] = str(node) if node.is_finite() else "null"
        return key
    if isinstance(node, dict):
        return {key: _plain(value, numbers, marker) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [_plain(value, numbers, marker) for value in node]
    return node


def facts_json(content: FactsFile) -> str:
    """The facts file as indented JSON text, decimals written as typed (`Decimal` → `12.5`)."""
    data = content.model_dump(exclude_none=True, exclude_defaults=False)
    data["facts"] = content.facts  # as read: entries or bare values, nulls kept
    if content.previous_year is not None:
        data["previous_year"] = {"year": content.previous_year.year,
                                 "facts": content.previous_year.facts}
    numbers: dict[str, str] = {}
    marker = f"\x00decimal-{secrets.token_hex(4)}-"
    text = json.dumps(_plain(data, numbers, marker), ensure_ascii=False, indent=2)
    for key, number in numbers.items():
        text = text.replace(json.dumps(key), number, 1)
    return text + "\n"
