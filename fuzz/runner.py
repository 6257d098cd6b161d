"""Run one hostile input through the real loaders, in this process, under a time limit, and
say whether it escaped them.

The pack is rules/phuong5-2024 unless another folder is given (`--pack DIR`): then a facts file
is loaded as `--pack DIR` loads it, and a hostile pack is that folder changed, tried with the
facts files beside it (DIR/case/*.json).

Facts: `load_ward(path)` (or `load_ward(path, DIR)`) -> `Scorer(pack).score(ward)` -> every
renderer (JSON, text vi with --explain, Markdown en, scorecard, warnings), each output encoded
as UTF-8 as the command line writes it, the JSON parsed back. Pack: `load_pack(folder, "fuzz")`
-> `Scorer(pack)` -> each case file checked and scored with that pack and rendered.

Allowed: `InputError` (CommandLineError is one) and `PackError`, provided `describe()` works and
is not absurdly long. Everything else is a finding: any other exception (EngineError included:
exit status 1 is an internal error), a run over the time limit (SIGALRM; a run that overran
without the alarm getting through — C code — is one too), an invalid JSON report.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fuzz.gen_facts import BIG_FILE_BYTES, DEFAULT_PACK, case_files
from fuzz.gen_pack import Special

ROOT = Path(__file__).resolve().parent.parent
PROJECT_DIRS = tuple(str(ROOT / d) + os.sep for d in ("engine", "scoring", "reports", "rules",
                                                       "cli"))
MAX_MESSAGE = 1_000_000  # characters: an error message longer than this is a finding
PACK_FILES = ("pack.yaml", "facts.yaml", "requirements.yaml", "rules")


class Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so no `except Exception` in the engine eats it."""


@dataclass
class Outcome:
    """What one input did: `status` is ok, InputError, PackError or finding."""

    status: str
    elapsed: float
    key: str = ""          # the finding's class
    kind: str = ""         # exception, timeout, oracle
    stage: str = ""
    detail: str = ""       # traceback or explanation
    line: str = ""         # one line: the message, or where a timeout was interrupted


def _where(tb: Any) -> tuple[str, str]:
    """(deepest project frame as 'file:function', deepest frame overall as 'file:line')."""
    frames = traceback.extract_tb(tb) if tb is not None else []
    frames = [f for f in frames if f.name != "_on_alarm"]  # the alarm's own frame
    project = ""
    for frame in frames:
        if frame.filename.startswith(PROJECT_DIRS):
            rel = os.path.relpath(frame.filename, ROOT)
            project = f"{rel}:{frame.name}"
    last = ""
    if frames:
        frame = frames[-1]
        name = frame.filename
        if name.startswith(str(ROOT)):
            name = os.path.relpath(name, ROOT)
        elif "site-packages" in name:
            name = name.split("site-packages" + os.sep, 1)[1]
        else:
            name = os.path.basename(name)
        last = f"{name}:{frame.lineno} ({frame.name})"
    return project, last


def _on_alarm(signum: int, frame: Any) -> None:
    raise Timeout()


def _ignore(signum: int, frame: Any) -> None:
    """An alarm already on its way when the run ended."""


class Runner:
    """Holds the engine's entry points and the fixtures; runs inputs one at a time."""

    def __init__(self, workdir: Path, limit: float = 1.0, pack_dir: Path | None = None) -> None:
        from cchc.engine import durable
        from cchc.engine.errors import EngineError, InputError, PackError
        from cchc.engine.facts.check import check_facts
        from cchc.engine.facts.plausible import plausibility_warnings
        from cchc.engine.facts.read import read_facts
        from cchc.engine.inputs import load_ward
        from cchc.engine.pack.load import load_pack
        from cchc.reports.json_report import render_json
        from cchc.reports.scorecard import render_scorecard
        from cchc.reports.text import render, render_warnings
        from cchc.scoring.score import Scorer

        self.durable = durable
        self.InputError, self.PackError, self.EngineError = InputError, PackError, EngineError
        self.check_facts, self.plausibility_warnings = check_facts, plausibility_warnings
        self.load_ward, self.load_pack, self.Scorer = load_ward, load_pack, Scorer
        self.render_json, self.render, self.render_scorecard = render_json, render, \
            render_scorecard
        self.render_warnings = render_warnings
        self.limit = limit
        self.workdir = workdir
        self.facts_dir = workdir / "facts"
        self.pristine = workdir / "pristine-pack"
        self.pack_dir = workdir / "pack"
        make_fixtures(self.facts_dir)
        default = ROOT / "rules" / DEFAULT_PACK
        self.source_pack = Path(pack_dir).resolve() if pack_dir is not None else default
        # the shipped pack: facts files name it themselves (as ever); another: `--pack DIR`
        self.pack_option = None if self.source_pack == default.resolve() else \
            str(self.source_pack)
        if not self.pristine.exists():
            copy_pack(self.source_pack, self.pristine)
        self.case_files = case_files(ROOT, self.source_pack)
        self.case_dir = self.case_files[0].parent if self.case_files else ROOT / "cases"
        self.documents = [read_facts(path) for path in self.case_files]
        self._scorers: dict[str, Any] = {}
        self.stage = ""
        self._mark = 0.0
        self.effective = 0.0
        self.slow_stage = ""

    # --- the two pipelines -----------------------------------------------------------------

    # Each input gets what one command-line run gets: the limit covers loading, checking,
    # scoring and one rendering. Steps shared by several renderings (or, for a pack, by several
    # case files) count in each of them: the timer is re-armed with what the shared steps left.

    def _arm(self, spent: float) -> None:
        """Start timing one command-line-sized run that has already spent `spent` seconds."""
        self._lap()
        self._mark = time.perf_counter() - spent
        signal.setitimer(signal.ITIMER_REAL, max(self.limit - spent, 0.001), 0.1)

    def _lap(self) -> float:
        """The current run's time so far (and the longest run's, kept in `effective`)."""
        spent = time.perf_counter() - self._mark
        if spent > self.effective:
            self.effective, self.slow_stage = spent, self.stage
        return spent

    def _facts(self, data: bytes) -> None:
        self.stage = "write"
        path = self.facts_dir / "facts.json"
        path.write_bytes(data)
        self.stage = "load_ward"
        pack, ward = self.load_ward(path) if self.pack_option is None else \
            self.load_ward(path, self.pack_option)
        self.stage = "compile"
        scorer = self._scorers.get(pack.sha256)
        if scorer is None:
            scorer = self._scorers[pack.sha256] = self.Scorer(pack)
        self._score_and_render(scorer, ward)

    def _pack(self, overrides: dict[str, Any]) -> None:
        self.stage = "write"
        write_pack(self.pristine, self.pack_dir, overrides)
        self._pack_at(self.pack_dir)

    def _pack_at(self, folder: Path) -> None:
        self.stage = "load_pack"
        pack = self.load_pack(folder, "fuzz")
        self.stage = "compile"
        scorer = self.Scorer(pack)
        loaded = self._lap()
        for document in self.documents:
            self._arm(loaded)
            self.stage = "check_facts"
            try:
                ward = self.check_facts(document, pack)
                warnings = self.plausibility_warnings(document, ward, pack, self.case_dir)
            except self.InputError:
                continue
            ward = dataclasses.replace(ward, warnings=tuple(warnings))
            self._score_and_render(scorer, ward)

    def _score_and_render(self, scorer: Any, ward: Any) -> None:
        self.stage = "score"
        try:
            report = scorer.score(ward)
        except BaseException:
            # an interrupted or failed durable_rules run may leave a session behind: let the
            # engine start its rulesets afresh, so the next input is judged on its own
            for ruleset in scorer.evaluator.compiled.rulesets:
                self.durable._abandon(ruleset)
            raise
        scored = self._lap()
        text = ""
        for name, render in (
                ("render_json", lambda: self.render_json(report)
                 + self.render_warnings(report.warnings)),
                ("render_text", lambda: self.render(report, "vi", True)),
                ("render_markdown", lambda: self.render(report, "en", False, markdown=True)),
                ("render_scorecard", lambda: self.render_scorecard(report, "vi"))):
            self._arm(scored)
            self.stage = name
            output = render()
            self.stage = "output"
            output.encode("utf-8")  # what the command line writes
            if name == "render_json":
                text = self.render_json(report)
        self._lap()
        # the JSON report must parse back (the harness's own check: not timed as a run)
        self.stage = "json_roundtrip"
        signal.setitimer(signal.ITIMER_REAL, self.limit * 5, 0.1)
        self._mark = time.perf_counter()
        json.loads(text, parse_constant=_refuse_constant)
        self._mark = time.perf_counter()

    # --- running under the limit -----------------------------------------------------------

    def run(self, target: str, payload: Any) -> Outcome:
        fn = {"facts": self._facts, "pack": self._pack, "pack-folder": self._pack_at}[target]
        self.stage = "start"
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        started = self._mark = time.perf_counter()
        self.effective = 0.0
        self.slow_stage = ""
        error: BaseException | None = None
        # then every 0.1 s: an alarm that lands in a finalizer is ignored ("Exception ignored
        # in …"), and the next one must still stop the run
        signal.setitimer(signal.ITIMER_REAL, self.limit, 0.1)
        try:
            try:
                fn(payload)
            finally:  # a late alarm raises here at worst, and is caught below
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, _ignore)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # classifying everything is the point
            error = exc
        signal.signal(signal.SIGALRM, previous)
        if error is not None and self.stage != "json_roundtrip":
            self._lap()
        elapsed = self.effective if self.stage != "write" else time.perf_counter() - started
        outcome = self._classify(error, elapsed)
        if outcome.status in ("finding", "harness"):
            outcome.line = _one_line(outcome)
        return outcome

    def _classify(self, error: BaseException | None, elapsed: float) -> Outcome:
        stage = self.stage
        if isinstance(error, Timeout):
            project, last = _where(error.__traceback__)
            where = project or last
            return Outcome("finding", elapsed, f"timeout in {stage} @ {where}", "timeout", stage,
                           f"no result after {self.limit:.1f} s; interrupted at {last}\n"
                           + _format(error))
        if error is None or isinstance(error, self.InputError | self.PackError):
            if elapsed > self.limit * 1.05:  # the alarm could not get through (C code)
                slow = self.slow_stage or stage
                return Outcome("finding", elapsed, f"timeout (uninterruptible) in {slow}",
                               "timeout", slow, f"took {elapsed:.2f} s in {slow}; the alarm "
                               "was not delivered until the C code returned")
            if error is None:
                return Outcome("ok", elapsed)
            try:
                message = error.describe()
            except BaseException as exc:
                project, last = _where(exc.__traceback__)
                return Outcome("finding", elapsed, f"{type(exc).__name__} in describe() @ "
                               f"{project or last}", "exception", "describe", _format(exc))
            if len(message) > MAX_MESSAGE:
                return Outcome("finding", elapsed, f"oversized {type(error).__name__} message "
                               f"(> {MAX_MESSAGE:,} chars) in {stage}", "oracle", stage,
                               f"{len(message):,} characters, {len(error.problems):,} problems"
                               f"; begins:\n{message[:2000]}")
            return Outcome(type(error).__name__, elapsed)
        project, last = _where(error.__traceback__)
        name = type(error).__name__
        if isinstance(error, self.EngineError):
            return Outcome("finding", elapsed, f"EngineError (exit 1) in {stage} @ {project}",
                           "exception", stage, _format(error))
        if stage == "json_roundtrip":
            return Outcome("finding", elapsed, f"invalid JSON report ({name})", "oracle", stage,
                           _format(error))
        if stage == "output":
            return Outcome("finding", elapsed, f"{name} writing the report as UTF-8", "exception",
                           stage, _format(error))
        if stage == "write":
            return Outcome("harness", elapsed, f"harness: {name} at {last}", "harness", stage,
                           _format(error))
        key = f"{name} in {stage} @ {project or last}"
        return Outcome("finding", elapsed, key, "exception", stage,
                       f"raised at {last}\n" + _format(error))


def _one_line(outcome: Outcome) -> str:
    lines = [line.strip() for line in outcome.detail.splitlines() if line.strip()]
    if not lines:
        return ""
    if outcome.kind == "exception" and lines[0].startswith("raised at "):
        text = f"{lines[-1]} ({lines[0]})"
    elif outcome.kind == "exception":
        text = lines[-1]
    else:
        text = lines[0]
    return text if len(text) <= 240 else text[:237] + "…"


def _refuse_constant(token: str) -> Any:
    raise ValueError(f"the JSON report holds {token}")


def _format(error: BaseException) -> str:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return text if len(text) < 20000 else text[:10000] + "\n…\n" + text[-10000:]


# --- fixtures ----------------------------------------------------------------------------------


def make_fixtures(folder: Path) -> None:
    """The files evidence paths point at: a small PDF, an empty one, a sparse 3 GiB file, a
    FIFO, a symlink loop and a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ok.pdf").write_bytes(b"%PDF-1.4\n%fuzz\n")
    (folder / "empty.pdf").write_bytes(b"")
    big = folder / "big.bin"
    if not big.exists():
        with open(big, "wb") as handle:
            handle.truncate(BIG_FILE_BYTES)
    fifo = folder / "fifo"
    if not fifo.exists() and hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
    loop = folder / "loop"
    if not loop.is_symlink():
        os.symlink("loop", loop)
    (folder / "folder").mkdir(exist_ok=True)


def copy_pack(source: Path, target: Path) -> None:
    """The pack's own files (not its tests) into `target`."""
    target.mkdir(parents=True)
    for name in PACK_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        else:
            shutil.copy2(source / name, target / name)


def write_pack(pristine: Path, folder: Path, overrides: dict[str, Any]) -> None:
    """`folder` = the pristine pack with `overrides` applied."""
    if folder.exists() or folder.is_symlink():
        shutil.rmtree(folder)
    shutil.copytree(pristine, folder, symlinks=True)
    for rel, value in overrides.items():
        path = folder / rel
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        if value is None:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, Special):
            if value.kind == "dir":
                path.mkdir()
            elif value.kind == "symlink":
                os.symlink(value.target, path)
            elif value.kind == "sparse":
                with open(path, "wb") as handle:
                    handle.truncate(value.size)
        else:
            path.write_bytes(value)


if __name__ == "__main__":  # pragma: no cover - a module, run through fuzz_inputs.py
    sys.exit("run fuzz/fuzz_inputs.py")
