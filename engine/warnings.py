"""Plausibility warnings: things in a facts file that are allowed but probably wrong.

A warning never stops scoring (unless `--strict` asks for it): it says, in Vietnamese and
English, what looks wrong and where (the JSON path), under a stable code a reviewer can filter
on. The CLI prints them after the report on stderr; the JSON report lists them as
`warnings: [{code, json_path, message: {vi, en}}]`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FactWarning:
    """One warning: a stable code, where it points (a JSON path, `$` for the whole file), and
    the message in both languages."""

    code: str
    json_path: str
    vi: str
    en: str
