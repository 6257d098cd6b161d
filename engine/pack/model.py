"""A loaded rule pack and the lookups the later stages need (kinds, units, operands, areas).

`Pack` is built by `load.load_pack` once every file has passed its schema and the cross-file
check; nothing changes it afterwards.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

from cchc.engine.workdays import WorkingDays
from cchc.rules.schema import (
    Bilingual,
    Convention,
    FactSpec,
    Metric,
    PackMeta,
    Requirement,
    Rule,
)

if TYPE_CHECKING:  # only the type is needed; importlib.resources.abc is 3.11+
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable


@dataclass
class Pack:
    """A loaded, checked rule pack, with lookups the later stages need."""

    meta: PackMeta
    facts: dict[str, FactSpec]
    metrics: dict[str, Metric]
    requirements: list[Requirement]
    rules: list[Rule]
    location: str
    folder: Traversable | None = None
    file_hashes: dict[str, str] = field(default_factory=dict)
    rule_files: dict[str, str] = field(default_factory=dict)
    shipped: bool = True  # False: read from a folder and not the shipped pack's bytes

    def __post_init__(self) -> None:
        self.requirement_by_id = {r.id: r for r in self.requirements}
        self.area_by_id = {a.id: a for a in self.meta.areas}
        self.convention_by_id: dict[str, Convention] = {c.id: c for c in self.meta.conventions}
        # metrics may share operands (a diamond): each answer is worked out once per name
        self._base_facts: dict[str, tuple[str, ...]] = {}
        self._not_applicable: dict[str, bool] = {}
        # the key of the files it was loaded from and what it held then
        # (`cchc.engine.pack.cache`); None when made otherwise, `dataclasses.replace` included
        self.cache_key: str | None = None
        self.cache_contents: tuple[object, ...] = ()

    @property
    def sha256(self) -> str:
        """One hash over all the pack's files (name and content), stable across machines."""
        digest = hashlib.sha256()
        for name, file_hash in sorted(self.file_hashes.items()):
            digest.update(f"{name}\0{file_hash}\n".encode())
        return digest.hexdigest()

    def kind_of(self, name: str) -> str | None:
        """'numeric', 'boolean', 'date', 'level' (compared by level id), or 'dates' / 'table'
        (read only through a metric) for a fact or metric name; None if unknown."""
        if name in self.metrics:
            return "boolean" if self.metrics[name].kind == "all" else "numeric"
        spec = self.facts.get(name)
        if spec is None:
            return None
        return {"boolean": "boolean", "date": "date", "level": "level", "dates": "dates",
                "table": "table"}.get(spec.type, "numeric")

    @cached_property
    def working_days(self) -> WorkingDays | None:
        """The pack's working-day calendar, if it has one."""
        calendar = self.meta.calendar
        return None if calendar is None else WorkingDays(calendar)

    @property
    def adjustment_area(self) -> str | None:
        """The id of the pseudo-area of bonus and penalty points, if the pack has one."""
        return None if self.meta.adjustments is None else self.meta.adjustments.id

    def scored_areas(self) -> list[str]:
        """The ids of the areas that weigh in the maximum, in pack order."""
        return [area.id for area in self.meta.areas]

    def ruleset_areas(self) -> list[str]:
        """Every group of rules evaluated together: the areas, then the adjustments."""
        extra = [self.adjustment_area] if self.adjustment_area is not None else []
        return [*self.scored_areas(), *extra]

    def base_facts(self, name: str) -> tuple[str, ...]:
        """The reported facts a fact or metric is computed from, in order, without repeats."""
        if name in self._base_facts:
            return self._base_facts[name]
        metric = self.metrics.get(name)
        if metric is None:
            return (name,) if name in self.facts else ()
        out: dict[str, None] = {}
        for part in metric.operands:
            out.update(dict.fromkeys(self.base_facts(part)))
        self._base_facts[name] = tuple(out)
        return self._base_facts[name]

    def can_be_not_applicable(self, name: str) -> bool:
        """Whether a fact or metric can come out not applicable: a rate whose denominator may be
        0, or a metric computed from one. A reported fact is never not applicable."""
        if name in self._not_applicable:
            return self._not_applicable[name]
        metric = self.metrics.get(name)
        if metric is None:
            return False
        # a rate over 0, a table with no rows
        answer = metric.kind in ("ratio", "each") or (
            metric.kind == "difference" and metric.none_is_not_applicable) \
            or (metric.kind == "change" and metric.measure == "percent") \
            or any(self.can_be_not_applicable(part) for part in metric.operands)
        self._not_applicable[name] = answer
        return answer

    def value_kind(self, name: str) -> str:
        """What a test reads, as conventions name it: a metric's kind (ratio, difference,
        change, all) or a reported fact's type (count, number, rank, level, date, boolean)."""
        metric = self.metrics.get(name)
        return metric.kind if metric is not None else self.facts[name].type

    def can_be_pending(self, name: str) -> bool:
        """Whether a fact or metric may wait for an index edition not yet published."""
        return any(self.facts[f].edition for f in self.base_facts(name))

    def ceiling_of(self, name: str) -> Fraction | None:
        """The best value a change metric's fact can take (rank 1, the top level, 100 %), in the
        engine's numbers (a level as its position); None when the metric names none."""
        metric = self.metrics.get(name)
        if metric is None or metric.kind != "change" or metric.ceiling is None:
            return None
        ceiling = metric.ceiling
        spec = self.facts.get(metric.of)
        if isinstance(ceiling, str):
            assert spec is not None and spec.levels is not None
            return Fraction([level.id for level in spec.levels].index(ceiling))
        return Fraction(ceiling)

    def unit_of(self, name: str) -> Bilingual | None:
        """The unit of a fact or metric, if it has one."""
        metric = self.metrics.get(name)
        if metric is not None:
            return None if metric.kind == "all" else metric.unit
        return self.facts[name].unit

    def needs_evidence(self, name: str) -> bool:
        """Whether any reported fact behind `name` must carry evidence."""
        return any(self.facts[f].evidence_required for f in self.base_facts(name))

    def bounded_pairs(self) -> list[tuple[str, str]]:
        """(part, whole) pairs whose part can never exceed its whole: a bounded ratio's
        numerator and denominator, a non-negative difference's subtrahend and minuend."""
        return list(self._bounded_pairs)

    @cached_property
    def _bounded_pairs(self) -> tuple[tuple[str, str], ...]:  # worked out once: every ward asks
        pairs = []
        for metric in self.metrics.values():
            if metric.kind == "ratio" and metric.bounded:
                pairs.append((metric.numerator, metric.denominator))
            elif metric.kind == "difference" and metric.non_negative:
                pairs.append((metric.subtrahend, metric.minuend))
        return tuple(pairs)

    def previous_year_facts(self) -> list[str]:
        """The facts whose last-year value some rule compares against, in pack order."""
        return list(self._previous_year_facts)

    @cached_property
    def _previous_year_facts(self) -> tuple[str, ...]:  # worked out once: every ward asks
        needed: dict[str, None] = {}
        for metric in self.metrics.values():
            if metric.kind == "change":
                needed.update(dict.fromkeys(self.base_facts(metric.of)))
        return tuple(name for name in self.facts if name in needed)

    def rules_of(self, area_id: str) -> list[Rule]:
        """The rules of one area, in pack order."""
        return [r for r in self.rules if r.area == area_id]
