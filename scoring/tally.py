"""Subtotals per reform area and in total: points, maximum, not applicable, index % and band.

Index % = points / (maximum − not applicable) × 100, rounded half-up to 2 decimals, and the band
(xếp loại) is read from the index as printed, so what a reader sees is what was judged. Two
tallies are kept: the self-assessment (điểm tự đánh giá, points as the facts claim them) and the
projected appraisal (điểm dự kiến thẩm định, without points whose required evidence is missing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cchc.engine.numbers import to_decimal
from cchc.rules.schema import Band
from cchc.scoring.points import Award

INDEX_DECIMALS = 2


@dataclass(frozen=True)
class Tally:
    """Points over a set of rules, for one of the two scores."""

    points: Decimal
    maximum: Decimal
    not_applicable: Decimal
    index: Decimal | None
    band: Band | None

    @property
    def applicable_maximum(self) -> Decimal:
        """The maximum the index is computed against."""
        return self.maximum - self.not_applicable


def band_for(index: Decimal | None, bands: list[Band]) -> Band | None:
    """The first band (highest first) whose min_index the index reaches."""
    if index is None:
        return None
    return next((band for band in bands if index >= band.min_index), None)


def tally(awards: Iterable[Award], bands: list[Band], appraisal: bool = False) -> Tally:
    """Sum awards into a Tally; `appraisal` uses the projected-appraisal points."""
    points = maximum = not_applicable = Decimal(0)
    for item in awards:
        points += item.appraisal_points if appraisal else item.self_points
        maximum += item.maximum
        if item.not_applicable:
            not_applicable += item.maximum
    applicable = maximum - not_applicable
    index = None
    if applicable > 0:
        index = to_decimal(Fraction(points) / Fraction(applicable) * 100, INDEX_DECIMALS)
    return Tally(points, maximum, not_applicable, index, band_for(index, bands))
