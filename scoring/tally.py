"""Subtotals per reform area and in total: points, maximum, not applicable, index % and band.

Index % = points / (maximum − not applicable − pending) × 100, rounded half-up to 2 decimals,
and the band (xếp loại) is read from the index as printed, so what a reader sees is what was
judged. Two tallies are kept: the self-assessment (điểm tự đánh giá, points as the facts claim
them) and the projected appraisal (điểm dự kiến thẩm định, without points whose required
evidence is missing or whose deliverable is dated after the assessment date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from cchc.engine.numbers import percent_of
from cchc.rules.schema import Band
from cchc.scoring.points import Award

INDEX_DECIMALS = 2


@dataclass(frozen=True)
class Tally:
    """Points over a set of rules, for one of the two scores."""

    points: Decimal
    maximum: Decimal
    not_applicable: Decimal
    pending: Decimal
    index: Decimal | None
    band: Band | None

    @property
    def applicable_maximum(self) -> Decimal:
        """The maximum the index is computed against."""
        return self.maximum - self.not_applicable - self.pending


def band_for(index: Decimal | None, bands: list[Band]) -> Band | None:
    """The first band (highest first) whose min_index the index reaches."""
    if index is None:
        return None
    return next((band for band in bands if index >= band.min_index), None)


def _tally(points: Decimal, maximum: Decimal, not_applicable: Decimal, pending: Decimal,
           bands: list[Band]) -> Tally:
    applicable = maximum - not_applicable - pending
    index = None
    if applicable > 0:
        index = percent_of(points, applicable, INDEX_DECIMALS)
    return Tally(points, maximum, not_applicable, pending, index, band_for(index, bands))


def tally_both(awards: Iterable[Award], bands: list[Band]) -> tuple[Tally, Tally]:
    """The self-assessment and the projected-appraisal Tally of the same awards."""
    own = appraised = maximum = not_applicable = pending = Decimal(0)
    for item in awards:
        own += item.self_points
        appraised += item.appraisal_points
        maximum += item.maximum
        if item.not_applicable:
            not_applicable += item.maximum
        elif item.pending:
            pending += item.maximum
    return (_tally(own, maximum, not_applicable, pending, bands),
            _tally(appraised, maximum, not_applicable, pending, bands))


def tally(awards: Iterable[Award], bands: list[Band], appraisal: bool = False) -> Tally:
    """Sum awards into a Tally; `appraisal` uses the projected-appraisal points."""
    own, appraised = tally_both(awards, bands)
    return appraised if appraisal else own
