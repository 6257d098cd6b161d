#!/usr/bin/env python3
"""Fuzz cchc-score's loaders with hostile facts files and rule packs, for a bounded time.

    python fuzz/fuzz_inputs.py --seconds 300 --seed 1 --target both
    python fuzz/fuzz_inputs.py --replay /tmp/cchc-fuzz-XXXX/01-…/minimal.json
    python fuzz/fuzz_inputs.py --atheris --target facts --seconds 120
    python fuzz/fuzz_inputs.py --pack tests/packs/anhoa-2025 --seconds 300 --target both

`--pack DIR` fuzzes another pack folder (default rules/phuong5-2024): its YAML files mutated,
and facts files made from its tests' base ward and the case files beside it, scored with
`--pack DIR`.

Every example is made from (seed, target, index) alone, so a run is reproducible and any example
can be made again (`--only INDEX`). Each one runs in-process through the real loaders with a
1 s limit (SIGALRM); what escapes them is a finding (see runner.py). The fuzzing runs in a
forked worker that the parent watches: a crash (segfault) or a hang in C code that the alarm
cannot interrupt is recorded against the example that caused it, and a new worker carries on
from the next example. At the end each class of finding is shrunk (in a forked child, within
--minimize-seconds) and saved with its reproducer under the folder printed.

Exit status: 1 if anything was found, 0 if not, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fuzz import minimize as mz  # noqa: E402
from fuzz.gen_facts import FactsGenerator, case_files  # noqa: E402
from fuzz.gen_pack import PACK_ID, PackGenerator, Special, size_of  # noqa: E402
from fuzz.gen_pack import _dump as dump_yaml  # noqa: E402
from fuzz.runner import Outcome, Runner, make_fixtures, write_pack  # noqa: E402

TARGETS = ("facts", "pack")
DEFAULT_PACK_DIR = ROOT / "rules" / PACK_ID
HARD_LIMIT = 20.0  # seconds: a worker silent this long on one example is killed (a hang)


@dataclass
class FindingClass:
    """Every example that gave one class of finding."""

    key: str
    kind: str
    stage: str
    target: str
    count: int = 0
    first_index: int = -1
    max_elapsed: float = 0.0
    detail: str = ""
    line: str = ""
    examples: list[tuple[int, int, str]] = field(default_factory=list)  # (size, index, desc)
    reproducer: str = ""
    original_size: int = 0
    minimal_size: int = 0
    minimal_outcome: str = ""

    def add(self, index: int, size: int, desc: str, elapsed: float, detail: str,
            line: str) -> None:
        self.count += 1
        if self.first_index < 0:
            self.first_index = index
            self.detail = detail
            self.line = line
        self.max_elapsed = max(self.max_elapsed, elapsed)
        self.examples.append((size, index, desc))
        self.examples.sort()
        del self.examples[5:]


@dataclass
class Summary:
    seed: int
    targets: tuple[str, ...]
    limit: float
    out_dir: str = ""
    pack: str = ""
    fuzz_seconds: float = 0.0
    minimize_seconds: float = 0.0
    examples: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    findings: dict[str, FindingClass] = field(default_factory=dict)
    harness: dict[str, FindingClass] = field(default_factory=dict)
    workers: int = 0

    @property
    def total(self) -> int:
        return sum(self.examples.values())

    def ordered(self) -> list[FindingClass]:
        return sorted(self.findings.values(), key=lambda c: (-c.count, c.key))

    def describe(self) -> str:
        rate = self.total / self.fuzz_seconds if self.fuzz_seconds else 0.0
        lines = [
            f"cchc fuzz: seed {self.seed}, target {'+'.join(self.targets)}, limit "
            f"{self.limit:g} s per input" + (f", pack {self.pack}" if self.pack else ""),
            f"examples: {self.total} in {self.fuzz_seconds:.1f} s ({rate:.1f}/s; "
            + ", ".join(f"{t} {self.examples[t]}" for t in self.targets) + ")"
            + (f", then {self.minimize_seconds:.1f} s shrinking" if self.minimize_seconds
               else ""),
            "outcomes: " + ", ".join(f"{k} {v}" for k, v in self.outcomes.most_common()),
            f"findings: {sum(c.count for c in self.findings.values())} examples in "
            f"{len(self.findings)} classes",
        ]
        for number, cls in enumerate(self.ordered(), 1):
            lines.append(f"  [{number}] {cls.key}")
            lines.append(f"      {cls.count} example(s), {cls.target}, first #{cls.first_index}, "
                         f"max {cls.max_elapsed:.2f} s")
            lines.append(f"      {_last_line(cls.line)}")
            if cls.reproducer:
                size = (f"{cls.minimal_size:,} bytes, from {cls.original_size:,}"
                        if cls.minimal_size else f"{cls.original_size:,} bytes")
                lines.append(f"      reproducer: {cls.reproducer} ({size})")
        for cls in self.harness.values():
            lines.append(f"  harness problem (not counted): {cls.key} x{cls.count}: "
                         f"{_last_line(cls.line)}")
        if self.out_dir:
            lines.append(f"reproducers: {self.out_dir}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed, "targets": list(self.targets), "limit": self.limit,
            "pack": self.pack or str(DEFAULT_PACK_DIR),
            "fuzz_seconds": round(self.fuzz_seconds, 2),
            "minimize_seconds": round(self.minimize_seconds, 2),
            "examples": dict(self.examples), "outcomes": dict(self.outcomes),
            "out_dir": self.out_dir,
            "findings": [{
                "key": c.key, "kind": c.kind, "stage": c.stage, "target": c.target,
                "count": c.count, "first_index": c.first_index,
                "max_elapsed": round(c.max_elapsed, 3), "line": c.line,
                "reproducer": c.reproducer,
                "original_size": c.original_size, "minimal_size": c.minimal_size,
                "minimal_outcome": c.minimal_outcome,
                "examples": [{"index": i, "size": s, "desc": d} for s, i, d in c.examples],
                "detail": c.detail} for c in self.ordered()],
        }


def _last_line(detail: str) -> str:
    lines = [line for line in detail.strip().splitlines() if line.strip()]
    text = lines[-1].strip() if lines else ""
    return text if len(text) <= 240 else text[:237] + "…"


def _what(value: Any) -> str:
    if value is None:
        return "deleted"
    if isinstance(value, Special):
        return str(value)
    return f"{len(value):,} bytes"


def payload_size(payload: Any) -> int:
    if isinstance(payload, bytes):
        return len(payload)
    return sum(len(v) if isinstance(v, bytes) else (v.size if isinstance(v, Special) else 0)
               for v in payload.values())


class Fuzzer:
    """Makes examples, runs them in a watched worker, groups and saves the findings."""

    def __init__(self, targets: tuple[str, ...], seed: int, limit: float, out_dir: Path,
                 quiet: bool = False, pack_dir: Path | None = None) -> None:
        self.pack_dir = Path(pack_dir).resolve() if pack_dir is not None else DEFAULT_PACK_DIR
        self.default_pack = self.pack_dir == DEFAULT_PACK_DIR.resolve()
        self.targets = targets
        self.seed = seed
        self.limit = limit
        self.out_dir = out_dir
        self.quiet = quiet
        self.work = out_dir / ".work"
        self.generators: dict[str, Any] = {}
        if "facts" in targets:
            self.generators["facts"] = FactsGenerator(ROOT, self.pack_dir)
        if "pack" in targets:
            self.generators["pack"] = PackGenerator(self.pack_dir)
        self.runner = Runner(self.work, limit, self.pack_dir)
        self.summary = Summary(seed, targets, limit, str(out_dir),
                               "" if self.default_pack else _shown(self.pack_dir))

    def example(self, index: int) -> tuple[str, str, Any]:
        target = self.targets[index % len(self.targets)]
        rng = random.Random(f"{self.seed}:{target}:{index}")
        desc, payload = self.generators[target].generate(rng)
        return target, desc, payload

    # --- the watched worker ----------------------------------------------------------------

    def _worker(self, start: int, stop: int, end: float, wfd: int) -> None:
        def send(line: str) -> None:
            data = (line + "\n").encode("utf-8", "backslashreplace")
            while data:
                written = os.write(wfd, data)
                data = data[written:]

        for index in range(start, stop):
            if time.monotonic() >= end:
                break
            send(f"S {index}")
            target = self.targets[index % len(self.targets)]
            try:
                target, desc, payload = self.example(index)
                size = payload_size(payload)
            except Exception as exc:  # the generator's own bug: say so, carry on
                send("R " + json.dumps({"i": index, "t": target, "s": "harness", "e": 0,
                                        "n": 0, "key": f"generator: {type(exc).__name__}",
                                        "kind": "harness", "stage": "generate",
                                        "detail": repr(exc), "desc": ""}))
                continue
            outcome = self.runner.run(target, payload)
            message: dict[str, Any] = {"i": index, "t": target, "s": outcome.status,
                                       "e": round(outcome.elapsed, 4), "n": size}
            if outcome.status in ("finding", "harness"):
                message.update(key=outcome.key, kind=outcome.kind, stage=outcome.stage,
                               detail=outcome.detail, line=outcome.line, desc=desc[:300])
            send("R " + json.dumps(message))
        send("D")

    def fuzz(self, seconds: float, max_examples: int | None = None,
             only: list[int] | None = None) -> Summary:
        started = time.monotonic()
        end = started + seconds
        stop = max_examples if max_examples is not None else 1 << 62
        indexes = only
        index = 0
        last_note = started
        while time.monotonic() < end:
            if indexes is not None:
                if not indexes:
                    break
                index = indexes.pop(0)
                stop_at = index + 1
            else:
                if index >= stop:
                    break
                stop_at = stop
            finished, next_index = self._run_worker(index, stop_at, end)
            if indexes is None:
                index = next_index
                if finished:
                    break
            if not self.quiet and time.monotonic() - last_note > 30:
                last_note = time.monotonic()
                self._note(f"{self.summary.total} examples, "
                           f"{len(self.summary.findings)} finding classes, "
                           f"{time.monotonic() - started:.0f} s")
        self.summary.fuzz_seconds = time.monotonic() - started
        return self.summary

    def _note(self, text: str) -> None:
        print(f"[fuzz] {text}", file=sys.stderr, flush=True)

    def _run_worker(self, start: int, stop: int, end: float) -> tuple[bool, int]:
        """Run examples start… in a forked worker; (all done?, the next index to run)."""
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(read_fd)
            code = 0
            try:
                self._worker(start, stop, end, write_fd)
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        self.summary.workers += 1
        os.close(write_fd)
        in_flight: int | None = None
        since = time.monotonic()
        buffer = b""
        done = False
        hung = False
        next_index = start
        while True:
            ready, _, _ = select.select([read_fd], [], [], 0.5)
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for raw in lines:
                    line = raw.decode("utf-8", "replace")
                    if line.startswith("S "):
                        in_flight = int(line[2:])
                        since = time.monotonic()
                    elif line.startswith("R "):
                        self._record(json.loads(line[2:]))
                        in_flight = None
                        next_index = json.loads(line[2:])["i"] + 1
                    elif line == "D":
                        done = True
            elif in_flight is not None and time.monotonic() - since > HARD_LIMIT:
                os.kill(pid, signal.SIGKILL)
                hung = True
                break
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
        if in_flight is not None and not done:
            target, desc, payload = self.example(in_flight)
            if hung:
                key, detail = (f"hang (> {HARD_LIMIT:g} s, not interruptible) in {target}",
                               f"the worker was silent for {HARD_LIMIT:g} s on this example "
                               "and was killed: the alarm could not interrupt it (C code)")
            elif os.WIFSIGNALED(status):
                name = signal.Signals(os.WTERMSIG(status)).name
                key, detail = (f"crash ({name}) in {target}",
                               f"the worker died of {name} while running this example")
            else:
                key, detail = (f"crash (exit {os.WEXITSTATUS(status)}) in {target}",
                               "the worker exited while running this example")
            self._record({"i": in_flight, "t": target, "s": "finding",
                          "e": time.monotonic() - since, "n": payload_size(payload), "key": key,
                          "kind": "crash" if not hung else "hang", "stage": "?",
                          "detail": detail, "desc": desc[:300]})
            next_index = in_flight + 1
        return done, next_index

    def _record(self, message: dict[str, Any]) -> None:
        summary = self.summary
        summary.examples[message["t"]] += 1
        summary.outcomes[message["s"]] += 1
        if message["s"] not in ("finding", "harness"):
            return
        table = summary.findings if message["s"] == "finding" else summary.harness
        key = message["key"]
        cls = table.get(key)
        if cls is None:
            cls = table[key] = FindingClass(key, message["kind"], message["stage"], message["t"])
            if not self.quiet and message["s"] == "finding":
                self._note(f"new: {key} (#{message['i']}, {message['e']:.2f} s)")
        cls.add(message["i"], message["n"], message.get("desc", ""), message["e"],
                message.get("detail", ""), message.get("line") or message.get("detail", ""))

    # --- shrinking and saving ----------------------------------------------------------------

    def save_all(self, minimize_seconds: float, minimize_total: float) -> None:
        started = time.monotonic()
        for number, cls in enumerate(self.summary.ordered(), 1):
            slug = re.sub(r"[^A-Za-z0-9]+", "-", cls.key).strip("-")[:70]
            folder = self.out_dir / f"{number:02d}-{slug}"
            folder.mkdir(parents=True, exist_ok=True)
            _, index, desc = cls.examples[0]
            target, desc, payload = self.example(index)
            cls.original_size = payload_size(payload)
            original = self._save(folder, "original", target, payload)
            cls.reproducer = str(original)
            left = minimize_total - (time.monotonic() - started)
            if cls.kind in ("exception", "timeout", "oracle") and minimize_seconds > 0 \
                    and left > 0:
                budget = min(minimize_seconds, left)
                minimal = self._minimize_in_child(cls, target, payload, budget, number, index,
                                                  desc)
                if minimal is not None and payload_size(minimal) < cls.original_size:
                    cls.minimal_size = payload_size(minimal)
                    cls.reproducer = str(self._save(folder, "minimal", target, minimal))
                    cls.minimal_outcome += self._check_in_child(target, minimal)
            self._write_note(folder, cls, index, desc, target)
        self.summary.minimize_seconds = time.monotonic() - started

    def _save(self, folder: Path, name: str, target: str, payload: Any) -> Path:
        if target == "facts":
            make_fixtures(folder)
            path = folder / f"{name}.json"
            path.write_bytes(payload)
            return path
        path = folder / name
        write_pack(self.runner.pristine, path, payload)
        changed = folder / f"{name}.changed.txt"
        changed.write_text("".join(f"{rel}: {_what(v)}\n" for rel, v in payload.items()),
                           "utf-8")
        diff = []
        for rel, value in payload.items():
            if isinstance(value, bytes):
                old = (self.runner.pristine / rel).read_bytes() \
                    if (self.runner.pristine / rel).is_file() else b""
                new = value.decode("utf-8", "replace").splitlines(keepends=True)
                # against the shipped file as written, and as the generator re-writes it
                # (a YAML dump changes the layout): the shorter diff shows the change
                candidates = [list(difflib.unified_diff(
                    old.decode("utf-8", "replace").splitlines(keepends=True), new,
                    f"shipped/{rel}", f"{name}/{rel}", n=1))]
                generator = self.generators.get("pack")
                if generator is not None and rel in generator.trees:
                    redumped = dump_yaml(generator.trees[rel], {}).decode("utf-8", "replace")
                    candidates.append(list(difflib.unified_diff(
                        redumped.splitlines(keepends=True), new,
                        f"shipped/{rel} (re-dumped)", f"{name}/{rel}", n=1)))
                diff.extend(min(candidates, key=len))
        text = "".join(diff)
        if len(text) > 300_000:
            text = text[:300_000] + "\n… (cut)\n"
        (folder / f"{name}.diff").write_text(text, "utf-8", "backslashreplace")
        return path

    def _in_child(self, work: Any, seconds: float) -> Any:
        """work() in a forked child, its JSON-able result back; None if it died or overran."""
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                data = json.dumps(work()).encode()
                with os.fdopen(write_fd, "wb") as handle:
                    handle.write(data)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(0)
        os.close(write_fd)
        chunks = []
        deadline = time.monotonic() + seconds + HARD_LIMIT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([read_fd], [], [], min(remaining, 1.0))
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        os.close(read_fd)
        os.waitpid(pid, 0)
        try:
            return json.loads(b"".join(chunks)) if chunks else None
        except ValueError:
            return None

    def _minimize_in_child(self, cls: FindingClass, target: str, payload: Any,
                           seconds: float, number: int, index: int, desc: str) -> Any:
        runner = self.runner
        key = cls.key
        scratch = self.out_dir / ".minimal" / str(number)
        scratch.mkdir(parents=True, exist_ok=True)

        def test(candidate: Any) -> bool:
            outcome = runner.run(target, candidate)
            return outcome.status == "finding" and mz.same_class(key, outcome.key)

        def work() -> Any:
            if target == "facts":
                result = mz.minimize_facts(payload, test, seconds)
                (scratch / "facts.json").write_bytes(result)
                return {"file": str(scratch / "facts.json")}
            sized = size_of(desc)
            if sized is not None and sized > 1:  # a structural change: find the least size
                generator = self.generators["pack"]

                def make(n: int) -> Any:
                    return generator.generate(random.Random(f"{self.seed}:pack:{index}"), n)[1]

                least, result = mz.shrink_size(make, sized, test, seconds)
                (scratch / "size.txt").write_text(f"{least}\n")
            else:
                result = mz.minimize_pack(payload, test, seconds)
            listing = {}
            for n, (rel, value) in enumerate(result.items()):
                if isinstance(value, bytes):
                    (scratch / str(n)).write_bytes(value)
                    listing[rel] = {"file": str(scratch / str(n))}
                elif value is None:
                    listing[rel] = None
                else:
                    listing[rel] = {"special": [value.kind, value.target, value.size]}
            return {"pack": listing}

        answer = self._in_child(work, seconds)
        if answer is None:
            return None
        if (scratch / "size.txt").exists():
            cls.minimal_outcome = f"least size {(scratch / 'size.txt').read_text().strip()}; "
        if "file" in answer:
            data = Path(answer["file"]).read_bytes()
            return data
        result: dict[str, Any] = {}
        for rel, value in answer["pack"].items():
            if value is None:
                result[rel] = None
            elif "file" in value:
                result[rel] = Path(value["file"]).read_bytes()
            else:
                kind, target_path, size = value["special"]
                result[rel] = Special(kind, target_path, size)
        return result

    def _check_in_child(self, target: str, payload: Any) -> str:
        def work() -> str:
            outcome = self.runner.run(target, payload)
            return outcome.key or outcome.status

        answer = self._in_child(work, self.limit * 3)
        return answer or "(crashed or hung)"

    def _write_note(self, folder: Path, cls: FindingClass, index: int, desc: str,
                    target: str) -> None:
        script = Path(__file__).resolve()
        reproducer = cls.reproducer
        pack_arg = "" if self.default_pack else f" --pack {self.pack_dir}"
        if target == "facts":
            cli = f"cchc-score {reproducer}{pack_arg} --format json"
        else:
            cases = case_files(ROOT, self.pack_dir)
            case = ROOT / "cases" / "phuong5-2024.json" if self.default_pack else (
                cases[0] if cases else self.pack_dir / "case" / "FACTS.json")
            cli = f"cchc-score --pack {reproducer} {case}"
        text = [
            f"class:    {cls.key}",
            f"kind:     {cls.kind} (stage {cls.stage}), target {target}",
            f"count:    {cls.count} example(s) in this run; max {cls.max_elapsed:.2f} s",
            f"example:  #{index} of seed {self.seed} (python {script}{pack_arg} --seed {self.seed} "
            f"--target {'+'.join(self.targets) if len(self.targets) > 1 else target} "
            f"--only {index})",
            f"made by:  {desc}",
            f"other examples: {', '.join(f'#{i}' for _, i, _ in cls.examples[1:]) or '-'}",
            f"original: {cls.original_size:,} bytes; minimal: "
            f"{f'{cls.minimal_size:,} bytes' if cls.minimal_size else '-'}"
            + (f" (re-run gives: {cls.minimal_outcome})" if cls.minimal_outcome else ""),
            "",
            "reproduce:",
            f"  python {script}{pack_arg} --replay {reproducer}",
            f"  {cli}",
            "",
            "detail (first example):",
            cls.detail,
        ]
        (folder / "finding.txt").write_text("\n".join(text) + "\n", "utf-8")

    def cleanup(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(self.out_dir / ".minimal", ignore_errors=True)


def fuzz(targets: tuple[str, ...] = TARGETS, seconds: float = 60.0, seed: int = 0,
         limit: float = 1.0, max_examples: int | None = None, out_dir: Path | None = None,
         minimize_seconds: float = 10.0, minimize_total: float = 120.0, quiet: bool = True,
         only: list[int] | None = None, pack_dir: Path | None = None) -> Summary:
    """Fuzz, shrink and save; the run's Summary (its findings, their reproducers). `pack_dir`:
    the pack folder to fuzz (default rules/phuong5-2024)."""
    out = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="cchc-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    fuzzer = Fuzzer(tuple(targets), seed, limit, out, quiet, pack_dir)
    try:
        fuzzer.fuzz(seconds, max_examples, only)
        fuzzer.save_all(minimize_seconds, minimize_total)
    finally:
        fuzzer.cleanup()
    return fuzzer.summary


# --- replay -----------------------------------------------------------------------------------


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the project when inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def replay(path: Path, limit: float, pack_dir: Path | None = None) -> int:
    """Run one saved reproducer (a facts file, or a pack folder) and say what it does: a facts
    file scored with `pack_dir` (default: the pack it names), a pack folder tried with the case
    files of `pack_dir` (default: cases/*.json)."""
    work = Path(tempfile.mkdtemp(prefix="cchc-fuzz-replay-"))
    try:
        runner = Runner(work, limit, pack_dir)
        if path.is_dir():
            outcome = runner.run("pack-folder", path)
        else:
            outcome = runner.run("facts", path.read_bytes())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _print_outcome(outcome)
    return 1 if outcome.status == "finding" else 0


def _print_outcome(outcome: Outcome) -> None:
    print(f"outcome: {outcome.status} in {outcome.elapsed:.3f} s")
    if outcome.key:
        print(f"class:   {outcome.key}")
        print(outcome.detail)


# --- atheris ----------------------------------------------------------------------------------


class AtherisFinding(Exception):
    """What the atheris mode raises so libFuzzer records the input as a crash."""


def run_atheris(target: str, seconds: float, seed: int, limit: float, out: Path,
                pack_dir: Path | None = None) -> int:
    import atheris

    work = out / ".work"
    with atheris.instrument_imports(include=["cchc"]):
        runner = Runner(work, limit, pack_dir)
    files = ["pack.yaml", "facts.yaml", "requirements.yaml",
             *sorted(f"rules/{p.name}" for p in (runner.pristine / "rules").glob("*.yaml"))]
    corpus = out / f"corpus-{target}"
    corpus.mkdir(parents=True, exist_ok=True)
    if target == "facts":
        for path in runner.case_files:
            shutil.copy(path, corpus / path.name)
    else:
        for number, rel in enumerate(files):
            (corpus / f"{number:02d}").write_bytes(bytes([number])
                                                   + (runner.pristine / rel).read_bytes())

    def test_one(data: bytes) -> None:
        if target == "facts":
            payload: Any = data
        else:
            rel = files[data[0] % len(files)] if data else files[0]
            payload = {rel: data[1:]}
        outcome = runner.run(target, payload)
        if outcome.status == "finding":
            raise AtherisFinding(f"{outcome.key}\n{outcome.detail}")

    print(f"[atheris] target {target}, {seconds:g} s; crash files in {out}", file=sys.stderr)
    atheris.Setup([sys.argv[0], f"-max_total_time={int(seconds)}", "-timeout=0",
                   f"-seed={seed or 1}", f"-artifact_prefix={out}/", "-rss_limit_mb=16384",
                   "-max_len=6000000", str(corpus)], test_one)
    atheris.Fuzz()
    return 0


# --- command line -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Fuzz cchc-score's facts reader and rule-pack loader with hostile inputs.")
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="how long to fuzz (default 60; shrinking comes after)")
    parser.add_argument("--seed", type=int, default=0, help="the run's seed (default 0)")
    parser.add_argument("--target", choices=["facts", "pack", "both"], default="both")
    parser.add_argument("--examples", type=int, default=None,
                        help="stop after this many examples (a deterministic run)")
    parser.add_argument("--only", type=int, action="append", metavar="INDEX",
                        help="run only the example(s) of this index (repeatable)")
    parser.add_argument("--limit", type=float, default=1.0,
                        help="seconds allowed per input (default 1)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the reproducers (default: a new temp folder)")
    parser.add_argument("--minimize-seconds", type=float, default=15.0,
                        help="shrinking budget per class of finding (0: do not shrink)")
    parser.add_argument("--minimize-total", type=float, default=240.0,
                        help="shrinking budget for the whole run")
    parser.add_argument("--json", type=Path, default=None, help="also write the summary as JSON")
    parser.add_argument("--replay", type=Path, default=None,
                        help="run one saved reproducer (facts file or pack folder) and exit")
    parser.add_argument("--atheris", action="store_true",
                        help="coverage-guided fuzzing with atheris (libFuzzer) instead")
    parser.add_argument("--quiet", action="store_true", help="no progress notes on stderr")
    parser.add_argument("--pack", type=Path, default=DEFAULT_PACK_DIR, metavar="DIR",
                        help="the pack folder to fuzz (default rules/phuong5-2024): its YAML "
                             "mutated, facts files made from its tests/base.yaml and case "
                             "files and scored with --pack DIR")
    args = parser.parse_args(argv)
    pack_dir = args.pack.resolve()
    for needed in ("pack.yaml", "facts.yaml", "requirements.yaml", "rules"):
        if not (pack_dir / needed).exists():
            parser.error(f"--pack {args.pack}: not a pack folder (no {needed})")
    if args.replay is not None:
        return replay(args.replay, args.limit, pack_dir)
    targets = TARGETS if args.target == "both" else (args.target,)
    if args.atheris:
        try:
            import atheris  # noqa: F401
        except ImportError:
            parser.error("atheris is not installed (pip install atheris)")
        out = args.out or Path(tempfile.mkdtemp(prefix="cchc-atheris-"))
        out.mkdir(parents=True, exist_ok=True)
        if len(targets) == 1:
            return run_atheris(targets[0], args.seconds, args.seed, args.limit, out, pack_dir)
        import subprocess

        status = 0
        for target in targets:
            status |= subprocess.call([sys.executable, __file__, "--atheris", "--target",
                                       target, "--seconds", str(args.seconds / len(targets)),
                                       "--seed", str(args.seed), "--out", str(out),
                                       "--pack", str(pack_dir)])
        return 1 if status else 0
    summary = fuzz(targets, args.seconds, args.seed, args.limit, args.examples, args.out,
                   args.minimize_seconds, args.minimize_total, args.quiet, args.only, pack_dir)
    print(summary.describe())
    if args.json:
        args.json.write_text(json.dumps(summary.to_json(), ensure_ascii=False, indent=2) + "\n",
                             "utf-8")
    return 1 if summary.findings else 0


if __name__ == "__main__":
    sys.exit(main())
