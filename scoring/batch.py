"""Score many facts files at once (`cchc-score batch`): worker processes, results in input order.

    for result in score_files([(path, None), …], pack_option, packs_dir, jobs=4):
        …  # a WardSummary (scored) or a Failure (not scored), in the order of the items

Each file goes through the input pipeline (`engine.inputs.load_ward`: read → the pack,
remembered per process → check → plausibility warnings) and `Scorer(pack).score(ward)`;
explanation texts are never built. Only a small `WardSummary` leaves the worker, never the
Report: the figures of both scores, each area's index, each rule's status and points (for the
aggregation in `scoring.ranking`), the number of warnings, and — once per process and pack —
a `PackDescriptor` (bands, areas, rules, the pack's files) that the parent keeps.

Parallelism is by processes, never threads (durable_rules' extension is not thread-safe):
`concurrent.futures.ProcessPoolExecutor` with the fork start method where there is one (the
command line runs no threads, so forking is safe), fed chunks of files through a bounded window
(memory stays flat however many files), and read back in submission order, so the results come
in input order whatever the number of processes. `jobs=1` scores in this process. Each process
keeps one Scorer per pack (by the pack's sha256) and remembers how each pack was resolved, so a
pack is read and compiled once per process.

A file that cannot be scored becomes a `Failure` carrying the error as `CchcError.describe()`
words it (exit status 2 for input errors, 3 for a broken pack); any other exception is a bug,
reported the same way with exit status 1 (the traceback included when `debug`). A worker
process that dies (killed, out of memory) makes every file not yet scored a Failure with exit
status 1 rather than a hang.

The city's appraisal (`appraisal_path`, one file per ward, or None) is applied to the ward's
report by an `Appraiser` kept per pack like the scorers; its final total and areas become
`WardSummary.appraised`. A broken appraisal (its shape, a decision, its chain) fails that ward
as a broken facts file does.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import traceback
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from cchc.engine.appraisal.read import read_appraisal
from cchc.engine.errors import EXIT_INTERNAL, CchcError
from cchc.engine.inputs import load_ward
from cchc.engine.pack.load import resolve_pack
from cchc.engine.pack.model import Pack
from cchc.scoring.appraisal import Appraiser
from cchc.scoring.report import Report, Score
from cchc.scoring.score import Scorer

# (facts file, the city's appraisal file of that ward or None)
BatchItem = tuple[Path, Path | None]
# A chunk sent to a worker: (position in the batch, facts file, appraisal file) each.
_Task = tuple[int, Path, Path | None]

CHUNK_MAX = 32  # files per chunk at most: a chunk is one round trip to a worker
WINDOW_PER_JOB = 4  # chunks in flight per process: enough to keep each busy, memory bounded


@dataclass(frozen=True, slots=True)
class Named:
    """An id with its Vietnamese and English names (a band, an area)."""

    id: str
    vi: str
    en: str


@dataclass(frozen=True, slots=True)
class RuleDescriptor:
    """A rule as the batch aggregation needs it."""

    id: str
    area: str
    title_vi: str
    title_en: str
    maximum: float


@dataclass(frozen=True, slots=True)
class PackDescriptor:
    """What the parent needs to know of a pack the workers scored with (sent once per process).

    `rules` are in the order of every `WardSummary.rules` of this pack (the Report's outcomes);
    `files` are the pack's files read from a folder (an output never overwrites them)."""

    key: str  # the pack's sha256
    id: str
    version: str
    title_vi: str
    title_en: str
    shipped: bool
    location: str
    files: tuple[str, ...]
    bands: tuple[Named, ...]
    areas: tuple[Named, ...]
    rules: tuple[RuleDescriptor, ...]


@dataclass(frozen=True, slots=True)
class Figures:
    """One score of a ward: points, the maximum, the maximum the index is computed against
    (without not-applicable and pending points), index % and band id."""

    points: float
    maximum: float
    scored_maximum: float
    index: float | None
    band: str | None


@dataclass(frozen=True, slots=True)
class Appraised:
    """The city's appraisal of a ward (from its appraisal file): the total and, in the pack's
    area order, each area's appraised index % (None when the area has nothing scored)."""

    total: Figures
    areas: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class WardSummary:
    """A scored ward, as small as the ranking and the aggregation need.

    `areas`: per area of the pack, in order, (self-assessment index, projected-appraisal index);
    `rules`: per rule, in the descriptor's order, (status, self points, appraisal points);
    `descriptor`: the pack's, on the first ward a process scores with that pack, else None."""

    position: int
    file: str
    pack: str  # PackDescriptor.key
    ward: str
    city: str | None
    self_assessment: Figures
    projected_appraisal: Figures
    warnings: int
    areas: tuple[tuple[float | None, float | None], ...]
    rules: tuple[tuple[str, float, float], ...]
    appraised: Appraised | None = None
    descriptor: PackDescriptor | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """A file that could not be scored: its name, the error in words (Vietnamese and English,
    as `CchcError.describe()` gives it) and the exit status it calls for (1: a bug)."""

    position: int
    file: str
    message: str
    exit_status: int

    @property
    def internal(self) -> bool:
        """Whether this is a bug in the tool rather than a problem of the file."""
        return self.exit_status == EXIT_INTERNAL


WardResult = WardSummary | Failure


def figures(score: Score) -> Figures:
    """A Report's score as the batch keeps it."""
    return Figures(score.points, score.maximum, float(score.scored_maximum), score.index,
                   None if score.band is None else score.band.id)


def pack_files(pack: Pack) -> tuple[str, ...]:
    """The files of a pack read from a folder (none for a shipped pack installed as package
    data): outputs never overwrite them."""
    if pack.shipped and not Path(pack.location).is_dir():
        return ()
    return tuple(str(Path(pack.location, *relative.split("/")))
                 for relative in sorted(pack.file_hashes))


def describe_pack(pack: Pack, report: Report) -> PackDescriptor:
    """The descriptor of `pack`, its rules in the order of `report`'s outcomes."""
    meta = pack.meta
    points = {rule.id: float(rule.points) for rule in pack.rules}
    return PackDescriptor(
        key=pack.sha256, id=meta.id, version=meta.version, title_vi=meta.title.vi,
        title_en=meta.title.en, shipped=pack.shipped, location=pack.location,
        files=pack_files(pack),
        bands=tuple(Named(band.id, band.vi, band.en) for band in meta.bands),
        areas=tuple(Named(area.id, area.vi, area.en) for area in meta.areas),
        rules=tuple(RuleDescriptor(o.rule, o.area, o.info.title.vi, o.info.title.en,
                                   points[o.rule]) for o in report.outcomes))


def internal_failure(position: int, file: str, error: BaseException, debug: bool) -> Failure:
    """A bug met while scoring one file, worded as the command line words internal errors."""
    message = (f"cchc-score: Lỗi nội bộ / Internal error: {type(error).__name__}: {error}\n"
               f"  Tệp / file: {file}")
    if debug:
        message += "\n" + "".join(traceback.format_exception(error)).rstrip()
    else:
        message += ("\n  Chạy lại với --debug để xem chi tiết / rerun with --debug for "
                    "details")
    return Failure(position, file, message, EXIT_INTERNAL)


class _Worker:
    """Scores files in one process: packs resolved once per (option, named pack, year), one
    Scorer per pack, each pack's descriptor sent with the first ward scored with it."""

    def __init__(self, pack_option: str | None, packs_dir: str | None, debug: bool) -> None:
        self.pack_option = pack_option
        self.packs_dir = packs_dir
        self.debug = debug
        self.resolved: dict[tuple[str | None, int | None], Pack] = {}
        self.scorers: dict[str, Scorer] = {}
        self.appraisers: dict[str, Appraiser] = {}
        self.described: set[str] = set()

    def _pack(self, named: str | None, year: int | None, file: str) -> Pack:
        key = (named, year)
        pack = self.resolved.get(key)
        if pack is None:  # failures are not remembered: each names its own file
            pack = resolve_pack(self.pack_option, named, year, file, packs_dir=self.packs_dir)
            self.resolved[key] = pack
        return pack

    def score(self, position: int, facts_path: Path, appraisal_path: Path | None) -> WardResult:
        """One file's summary, or why it could not be scored."""
        file = str(facts_path)
        try:
            pack, ward = load_ward(facts_path, display_name=file, resolve=self._pack)
            key = pack.sha256
            scorer = self.scorers.get(key)
            if scorer is None:
                scorer = self.scorers[key] = Scorer(pack)
                gc.freeze()  # the pack and its compiled rules live as long as the process
            report = scorer.score(ward)  # explanations stay lazy: never read here

            appraised: Appraised | None = None
            if appraisal_path is not None:  # the city's appraisal of this ward
                appraiser = self.appraisers.get(key)
                if appraiser is None:
                    appraiser = self.appraisers[key] = Appraiser(
                        pack, scorer.evaluator.compiled.branches.values())
                appraisal = appraiser.appraise(report, read_appraisal(appraisal_path))
                appraised = Appraised(figures(appraisal.final),
                                      tuple(area.index for area in appraisal.areas))

            descriptor = None
            if key not in self.described:
                descriptor = describe_pack(pack, report)
                self.described.add(key)
            return WardSummary(
                position=position, file=file, pack=key, ward=report.unit.ward,
                city=report.unit.city, self_assessment=figures(report.self_assessment),
                projected_appraisal=figures(report.projected_appraisal),
                warnings=len(ward.warnings),
                areas=tuple((area.self_assessment.index, area.projected_appraisal.index)
                            for area in report.areas),
                rules=tuple((o.status, o.points, o.appraisal_points) for o in report.outcomes),
                appraised=appraised, descriptor=descriptor)
        except CchcError as error:
            return Failure(position, file, error.describe(), error.exit_status)
        except Exception as error:  # a bug: this file fails, the batch goes on
            return internal_failure(position, file, error, self.debug)


_worker: _Worker | None = None


def _start_worker(pack_option: str | None, packs_dir: str | None, debug: bool) -> None:
    """Initialise a worker process: its own scoring state; signals back to their defaults (the
    parent reports Ctrl-C once, and removes any file it was writing)."""
    global _worker
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    gc.freeze()  # the inherited objects: out of the collector's way, pages stay shared
    _worker = _Worker(pack_option, packs_dir, debug)


def _score_chunk(tasks: list[_Task]) -> list[WardResult]:
    """A worker's job: score a chunk of files, in order."""
    assert _worker is not None, "worker not initialised"
    return [_worker.score(position, facts, appraisal) for position, facts, appraisal in tasks]


def chunk_size(count: int, jobs: int) -> int:
    """Files per chunk: a few chunks per process (balance), at most CHUNK_MAX (progress)."""
    return max(1, min(CHUNK_MAX, count // (jobs * 8) or 1))


def _threads() -> int:
    """How many threads this process has: the system's count where it gives one (threads a C
    library started count too, as they do for a fork), else Python's."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _context() -> multiprocessing.context.BaseContext:
    """Fork where it is safe — the command line has one thread, and the executor forks every
    worker before it starts its own — as it is fastest (the workers inherit the loaded code);
    a process with other threads (a library caller, a test runner) gets fresh interpreters
    instead ("forkserver", else the platform's default), as a fork there may deadlock."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _threads() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else None)


def _died(tasks: Sequence[_Task]) -> Iterator[Failure]:
    for position, facts, _ in tasks:
        yield Failure(position, str(facts),
                      "cchc-score: Lỗi nội bộ / Internal error: một tiến trình chấm điểm dừng "
                      "đột ngột nên tệp này chưa được chấm / a scoring process ended abruptly, "
                      f"so this file was not scored\n  Tệp / file: {facts}", EXIT_INTERNAL)


def score_files(items: Sequence[BatchItem], pack_option: str | None = None,
                packs_dir: str | None = None, jobs: int = 1,
                debug: bool = False) -> Iterator[WardResult]:
    """Score every (facts file, appraisal file) of `items`; yield one result per item, in the
    order of `items`, whatever `jobs` (processes; 1: in this process)."""
    tasks = [(position, facts, appraisal) for position, (facts, appraisal) in enumerate(items)]
    jobs = max(1, min(jobs, len(tasks)))
    if jobs == 1:
        worker = _Worker(pack_option, packs_dir, debug)
        for task in tasks:
            yield worker.score(*task)
        return
    size = chunk_size(len(tasks), jobs)
    chunks = (tasks[start:start + size] for start in range(0, len(tasks), size))
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                               initializer=_start_worker,
                               initargs=(pack_option, packs_dir, debug))
    window: deque[tuple[list[_Task], Future[list[WardResult]]]] = deque()
    unsent: list[list[_Task]] = []  # a chunk the broken pool refused

    def submit(count: int) -> bool:
        for chunk in islice(chunks, count):
            try:
                window.append((chunk, pool.submit(_score_chunk, chunk)))
            except BrokenProcessPool:
                unsent.append(chunk)
                return False
        return True

    try:
        healthy = submit(jobs * WINDOW_PER_JOB)
        while window:
            chunk, future = window.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                results = list(_died(chunk))
                healthy = False
            if healthy:
                healthy = submit(1)
            yield from results
        for chunk in [*unsent, *chunks]:  # after a process died: nothing more is sent
            yield from _died(chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
