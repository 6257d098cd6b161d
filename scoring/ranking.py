"""A batch's aggregation: the ranking, band counts, area means and the weakest rules.

    aggregator = Aggregator()
    for result in score_files(items, …):      # scoring.batch, in input order
        aggregator.add(result)
    summary = aggregator.finish()              # what reports.batch_report renders

Memory stays flat in the number of wards: per ward one small ranking entry is kept; everything
else is summed as it arrives, per pack (a batch may mix packs: bands, areas and rules are a
pack's own, so those statistics are per pack; the ranking is one, by index %).

- **Ranking**: by self-assessment index %, highest first; at equal index, more points first;
  at equal index and points, the same rank (standard competition ranking: 1, 2, 2, 4), listed
  by file name. A ward without an index (nothing scored) comes last.
- **Band counts**: every band of the pack, in the pack's order, 0 included, for the
  self-assessment, the projected appraisal and (when some ward has one) the appraisal; wards
  with no band are counted apart.
- **Area means**: each area's index % averaged over the wards where it has one.
- **Weakest rules**: the rules with the lowest mean share of their maximum (self-assessment
  points; the rule's maximum is the same for every ward, so the mean share is the points'
  sum over wards scored × maximum), over the wards where the rule is scored (not "không áp
  dụng", not "chờ kết quả"), with how many of those wards did not reach "đạt"; ties by fewer
  "đạt", then the pack's rule order.

Means are exact (Decimal sums of the reported 2-decimal figures) and rounded half-up to 2
decimals, so the same wards give the same figures whatever the order or number of processes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cchc.engine.errors import EXIT_INTERNAL, EXIT_OK
from cchc.scoring.batch import (
    Failure,
    Figures,
    Named,
    PackDescriptor,
    RuleDescriptor,
    WardResult,
    WardSummary,
)

WEAKEST = 10  # how many weakest rules a pack's summary lists
LEFT_OUT = frozenset({"khong_ap_dung", "cho_ket_qua"})  # not scored: out of a rule's mean
MET = "dat"
CENT = Decimal("0.01")
SCORES = ("self_assessment", "projected_appraisal", "appraised")


@functools.lru_cache(maxsize=65536)
def _exact(value: float) -> Decimal:
    """A reported figure (at most 2 decimals) as the Decimal it was printed from."""
    return Decimal(repr(value))


def _rounded(value: Decimal) -> float:
    return float(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _mean(total: Decimal, count: int) -> float | None:
    """The mean of `count` figures summing to `total`, 2 decimals (None: no figure)."""
    return None if count == 0 else _rounded(total / count)


def _share(total: Decimal, count: int, maximum: Decimal) -> float:
    """The mean share (%) of `maximum` of `count` wards' points summing to `total`."""
    return _rounded(total * 100 / (count * maximum))


@dataclass(frozen=True, slots=True)
class RankingRow:
    """One ward's line of the ranking."""

    rank: int
    file: str
    pack: PackDescriptor
    ward: str
    city: str | None
    self_assessment: Figures
    projected_appraisal: Figures
    appraised: Figures | None
    warnings: int
    appraised_rank: int | None = None  # among the wards the city has appraised

    def band(self, score: Figures) -> Named | None:
        """The band of one of this ward's scores, with its names (None: no band)."""
        return next((band for band in self.pack.bands if band.id == score.band), None)


@dataclass(frozen=True, slots=True)
class BandCount:
    """How many wards reached a band (None: no band, the index could not be computed), by each
    score; `appraised` counts only wards with an appraisal."""

    band: Named | None
    self_assessment: int
    projected_appraisal: int
    appraised: int


@dataclass(frozen=True, slots=True)
class AreaMean:
    """An area's mean index % over the wards (None when no ward has an index there), with how
    many wards each mean is over."""

    area: Named
    self_assessment: float | None
    projected_appraisal: float | None
    appraised: float | None
    wards: int
    appraised_wards: int


@dataclass(frozen=True, slots=True)
class RuleStat:
    """A rule across the wards where it is scored: the mean share of its maximum (%) the
    self-assessment and the projected appraisal give it, and how many of those wards did not
    reach "đạt"."""

    rule: RuleDescriptor
    wards: int
    self_assessment: float
    projected_appraisal: float
    not_met: int


@dataclass(frozen=True, slots=True)
class PackSummary:
    """The statistics of the wards scored with one pack."""

    pack: PackDescriptor
    wards: int
    bands: tuple[BandCount, ...]  # every band of the pack, then (if any ward has none) None
    areas: tuple[AreaMean, ...]
    weakest: tuple[RuleStat, ...]


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """Everything a batch report shows."""

    files: int
    ranking: tuple[RankingRow, ...]
    packs: tuple[PackSummary, ...]
    failures: tuple[Failure, ...]

    @property
    def scored(self) -> int:
        """Wards scored."""
        return len(self.ranking)

    @property
    def has_appraised(self) -> bool:
        """Whether any ward has the city's appraisal (the appraised columns are shown)."""
        return any(row.appraised is not None for row in self.ranking)

    @property
    def exit_status(self) -> int:
        """0 every file scored; 1 a bug met in some file; else the highest exit status of the
        files that failed (2 input error, 3 broken rule pack)."""
        if any(failure.internal for failure in self.failures):
            return EXIT_INTERNAL
        return max((failure.exit_status for failure in self.failures), default=EXIT_OK)


class _PackTotals:
    """Running sums of one pack's wards."""

    def __init__(self, pack: PackDescriptor) -> None:
        self.pack = pack
        self.wards = 0
        # band id (None: no band) -> count per score
        self.bands: dict[str | None, list[int]] = {band.id: [0, 0, 0] for band in pack.bands}
        areas = len(pack.areas)
        self.area_sums = [[Decimal(0)] * 3 for _ in range(areas)]
        self.area_counts = [[0] * 3 for _ in range(areas)]
        rules = len(pack.rules)
        self.rule_wards = [0] * rules
        self.rule_points = [[Decimal(0), Decimal(0)] for _ in range(rules)]
        self.rule_not_met = [0] * rules

    def add(self, summary: WardSummary) -> None:
        self.wards += 1
        appraised = summary.appraised
        for number, score in enumerate((summary.self_assessment, summary.projected_appraisal,
                                        None if appraised is None else appraised.total)):
            if score is not None:
                self.bands.setdefault(score.band, [0, 0, 0])[number] += 1
        for number, (own, projected) in enumerate(summary.areas):
            for which, index in ((0, own), (1, projected),
                                 (2, None if appraised is None else appraised.areas[number])):
                if index is not None:
                    self.area_sums[number][which] += _exact(index)
                    self.area_counts[number][which] += 1
        if len(summary.rules) != len(self.pack.rules):
            raise ValueError(f"{summary.file}: {len(summary.rules)} rules, the pack has "
                             f"{len(self.pack.rules)}")
        for number, (status, points, appraisal_points) in enumerate(summary.rules):
            if status in LEFT_OUT:
                continue
            self.rule_wards[number] += 1
            sums = self.rule_points[number]
            sums[0] += _exact(points)
            sums[1] += _exact(appraisal_points)
            if status != MET:
                self.rule_not_met[number] += 1

    def finish(self) -> PackSummary:
        pack = self.pack
        bands = [BandCount(band, *self.bands[band.id]) for band in pack.bands]
        if any(self.bands.get(None, ())):
            bands.append(BandCount(None, *self.bands[None]))
        areas = []
        for number, area in enumerate(pack.areas):
            sums, counts = self.area_sums[number], self.area_counts[number]
            own, projected, appraised = (_mean(sums[which], counts[which]) for which in range(3))
            areas.append(AreaMean(area, own, projected, appraised, counts[0], counts[2]))
        stats = []
        for number, rule in enumerate(pack.rules):
            wards = self.rule_wards[number]
            if not wards or not rule.maximum:
                continue
            own, projected = (_share(total, wards, _exact(rule.maximum))
                              for total in self.rule_points[number])
            stats.append((own, -self.rule_not_met[number], number,
                          RuleStat(rule, wards, own, projected, self.rule_not_met[number])))
        stats.sort(key=lambda item: item[:3])
        return PackSummary(pack, self.wards, tuple(bands), tuple(areas),
                           tuple(item[3] for item in stats[:WEAKEST]))


def _rank_key(row: RankingRow, appraised: bool = False) -> tuple[bool, float, float, str]:
    score = row.appraised if appraised and row.appraised is not None else row.self_assessment
    index = score.index
    return (index is None, -(index or 0.0), -score.points, row.file)


def _ranks(rows: list[RankingRow], appraised: bool = False) -> dict[str, int]:
    """Each row's rank (by file) in `rows` ordered by the self-assessed (or appraised) index,
    then points; equal index and points share a rank (1, 2, 2, 4)."""
    out: dict[str, int] = {}
    previous: tuple[bool, float, float, str] | None = None
    rank = 0
    for place, row in enumerate(sorted(rows, key=lambda r: _rank_key(r, appraised)), 1):
        key = _rank_key(row, appraised)
        if previous is None or key[:3] != previous[:3]:
            rank = place
        out[row.file] = rank
        previous = key
    return out


class Aggregator:
    """Takes a batch's results one by one; `finish()` ranks and summarises them."""

    def __init__(self) -> None:
        self.files = 0
        self.packs: dict[str, _PackTotals] = {}
        self.rows: list[RankingRow] = []
        self.failures: list[Failure] = []
        # A ward whose pack's descriptor has not arrived yet (it comes with the first ward a
        # process scores with that pack, which results in input order put first; kept for
        # safety).
        self.waiting: dict[str, list[WardSummary]] = {}

    def add(self, result: WardResult) -> None:
        """Count one file's result."""
        self.files += 1
        if isinstance(result, Failure):
            self.failures.append(result)
            return
        if result.descriptor is not None and result.pack not in self.packs:
            self.packs[result.pack] = _PackTotals(result.descriptor)
            for waiting in self.waiting.pop(result.pack, []):
                self._count(waiting)
        if result.pack in self.packs:
            self._count(result)
        else:
            self.waiting.setdefault(result.pack, []).append(result)

    def _count(self, summary: WardSummary) -> None:
        totals = self.packs[summary.pack]
        totals.add(summary)
        appraised = summary.appraised
        self.rows.append(RankingRow(
            0, summary.file, totals.pack, summary.ward, summary.city,
            summary.self_assessment, summary.projected_appraisal,
            None if appraised is None else appraised.total, summary.warnings))

    def finish(self) -> BatchSummary:
        """The ranking (ranks assigned) and each pack's statistics."""
        if self.waiting:
            raise RuntimeError(f"no pack descriptor for {sorted(self.waiting)}")
        ranks = _ranks(self.rows)
        appraised = _ranks([row for row in self.rows if row.appraised is not None], True)
        ranking = [RankingRow(ranks[row.file], row.file, row.pack, row.ward, row.city,
                              row.self_assessment, row.projected_appraisal, row.appraised,
                              row.warnings, appraised.get(row.file))
                   for row in sorted(self.rows, key=_rank_key)]
        return BatchSummary(self.files, tuple(ranking),
                            tuple(totals.finish() for totals in self.packs.values()),
                            tuple(self.failures))


def summarise(results: Iterable[WardResult]) -> BatchSummary:
    """Aggregate a batch's results (as `scoring.batch.score_files` yields them)."""
    aggregator = Aggregator()
    for result in results:
        aggregator.add(result)
    return aggregator.finish()
