"""Subtotals per reform area and in total: points, maximum, not applicable, index % and band.

A band may also ask that every area reach a share of its own points ("Tốt từ 85 điểm trở lên
và không có lĩnh vực nào đạt dưới 60%"): a ward whose index reaches it but one of whose areas
does not falls to the next band it meets, and the tally keeps which band was refused and for
which areas. Bonus and penalty points (điểm thưởng, điểm trừ) change the total after the
areas are summed: bonuses first, the total then capped (`total_cap`), penalties last, never
below 0; the index is that total over the scored maximum, at most 100 %.

Index % = points / (maximum − not applicable − pending) × 100, rounded half-up to 2 decimals,
and the band (xếp loại) is read from the index as printed, so what a reader sees is what was
judged. Two tallies are kept: the self-assessment (điểm tự đánh giá, points as the facts claim
them) and the projected appraisal (điểm dự kiến thẩm định, without points whose required
evidence is missing or whose deliverable is dated after the assessment date).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from cchc.engine.numbers import percent_of
from cchc.rules.schema import Band
from cchc.scoring.points import Award

INDEX_DECIMALS = 2


@dataclass(slots=True, unsafe_hash=True)
class Tally:
    """Points over a set of rules, for one of the two scores (never changed once made, hashed
    as a frozen one would be; not frozen because a ward makes twenty and frozen dataclasses
    are several times slower to create)."""

    points: Decimal
    maximum: Decimal
    not_applicable: Decimal
    pending: Decimal
    index: Decimal | None
    band: Band | None
    bonus: Decimal = Decimal(0)
    penalty: Decimal = Decimal(0)
    base: Decimal | None = None  # the areas' sum before bonus and penalty points
    refused_band: Band | None = None
    weak_areas: tuple[str, ...] = ()

    @property
    def applicable_maximum(self) -> Decimal:
        """The maximum the index is computed against."""
        return self.maximum - self.not_applicable - self.pending


def band_for(index: Decimal | None, bands: list[Band], points: Decimal | None = None
             ) -> Band | None:
    """The first band (highest first) whose bound the index (or, for bands in points, the
    points) reaches."""
    return judged_band(index, points, bands, {})[0]


def judged_band(index: Decimal | None, points: Decimal | None, bands: list[Band],
                areas: Mapping[str, Decimal | None]) -> tuple[Band | None, Band | None,
                                                               tuple[str, ...]]:
    """(band, the first band refused for its area condition, the areas below it): the first
    band (highest first) whose bound the index — or the points, for bands in points — reaches
    and whose `min_area_share` every area reaches (`areas`: each area's share in %, of its
    scored maximum for bands by index, of its full points for bands in points)."""
    if index is None:
        return None, None, ()
    refused: Band | None = None
    weak: tuple[str, ...] = ()
    for band in bands:
        by_points, by_index = band.min_points, band.min_index  # `band.bound`, inline
        reached = points if by_points is not None else index
        bound = by_index if by_index is not None else by_points
        assert bound is not None
        if reached is None or reached < bound:
            continue
        if band.min_area_share is not None:
            low = tuple(area for area, share in areas.items()
                        if share is not None and share < band.min_area_share)
            if low:
                if refused is None:
                    refused, weak = band, low
                continue
        return band, refused, weak
    return None, refused, weak


def _tally(points: Decimal, maximum: Decimal, not_applicable: Decimal, pending: Decimal,
           bands: list[Band]) -> Tally:
    applicable = maximum - not_applicable - pending
    index = None
    if applicable > 0:
        index = percent_of(points, applicable, INDEX_DECIMALS)
    return Tally(points, maximum, not_applicable, pending, index, band_for(index, bands, points))


def area_shares(areas: Mapping[str, Tally], bands: list[Band]) -> dict[str, Decimal | None]:
    """Each area's share of its points for a band's area condition: of its scored maximum
    (its index) for bands by index, of its full points for bands in points."""
    if not any(band.min_points is not None for band in bands):
        return {area: tally.index for area, tally in areas.items()}
    return {area: percent_of(tally.points, tally.maximum, INDEX_DECIMALS) if tally.maximum
            else None for area, tally in areas.items()}


def adjusted(base: Tally, bonus: Decimal, penalty: Decimal, total_cap: Decimal | None,
             bands: list[Band], areas: Mapping[str, Decimal | None]) -> Tally:
    """The total after bonus and penalty points (bonuses, then the cap, then penalties), and
    its band with the area condition."""
    points = base.points + bonus
    if total_cap is not None:
        points = min(points, total_cap)
    points = max(points - penalty, Decimal(0))
    applicable = base.applicable_maximum
    index = None
    if applicable > 0:
        index = min(percent_of(points, applicable, INDEX_DECIMALS), Decimal(100))
    band, refused, weak = judged_band(index, points, bands, areas)
    return Tally(points, base.maximum, base.not_applicable, base.pending, index, band, bonus,
                 penalty, base.points if bonus or penalty else None, refused, weak)


@dataclass(frozen=True, slots=True)
class Sums:
    """The sums behind both tallies of a set of awards (exact: sums of sums are the sum)."""

    own: Decimal = Decimal(0)
    appraised: Decimal = Decimal(0)
    maximum: Decimal = Decimal(0)
    not_applicable: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)

    def __add__(self, other: Sums) -> Sums:
        return Sums(self.own + other.own, self.appraised + other.appraised,
                    self.maximum + other.maximum, self.not_applicable + other.not_applicable,
                    self.pending + other.pending)


def sums_of(awards: Iterable[Award]) -> Sums:
    """Points, appraised points, maximum, not applicable and pending maximum of `awards`."""
    own = appraised = maximum = not_applicable = pending = Decimal(0)
    for item in awards:
        own += item.self_points
        appraised += item.appraisal_points
        maximum += item.maximum
        status = item.status  # Award.not_applicable and .pending, without the calls
        if status == "khong_ap_dung":
            not_applicable += item.maximum
        elif status == "cho_ket_qua":
            pending += item.maximum
    return Sums(own, appraised, maximum, not_applicable, pending)


def tallies_of(sums: Sums, bands: list[Band]) -> tuple[Tally, Tally]:
    """The self-assessment and the projected-appraisal Tally of these sums."""
    return (_tally(sums.own, sums.maximum, sums.not_applicable, sums.pending, bands),
            _tally(sums.appraised, sums.maximum, sums.not_applicable, sums.pending, bands))


def base_tallies(sums: Sums) -> tuple[Tally, Tally]:
    """Both tallies' sums alone, without an index or band: what `adjusted` starts from (it
    works out the index and band of the total itself)."""
    return (Tally(sums.own, sums.maximum, sums.not_applicable, sums.pending, None, None),
            Tally(sums.appraised, sums.maximum, sums.not_applicable, sums.pending, None, None))


def tally_both(awards: Iterable[Award], bands: list[Band]) -> tuple[Tally, Tally]:
    """The self-assessment and the projected-appraisal Tally of the same awards."""
    return tallies_of(sums_of(awards), bands)


def tally(awards: Iterable[Award], bands: list[Band], appraisal: bool = False) -> Tally:
    """Sum awards into a Tally; `appraisal` uses the projected-appraisal points."""
    own, appraised = tally_both(awards, bands)
    return appraised if appraisal else own
