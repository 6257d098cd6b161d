"""Benchmark cchc-score by hand (not in CI): throughput, cold start and peak memory.

    python benchmarks/bench.py [--wards 10000] [--seed 1] [--pack phuong5-2024 | FOLDER]
                               [--jobs N] [--batch-only]

Generates wards with the test generator (not timed), then times, in one process:
  check      the facts check (from parsed JSON) alone
  durable    scoring in durable_rules: outcomes, points, subtotals, explanation records
  explained  the same, plus every explanation sentence in both languages and every input
  pipeline   check + explained: a facts file to a fully explained report
  oracle     the independent plain-Python oracle (no explanations): the speed floor
  json       a facts file to the JSON report text (on 500 wards)
and prints wards/s for each, the durable/oracle ratio, the cold start of `cchc-score` on the
Phường 5 case beside the time to import its dependencies, and the peak resident memory.

Then the batch figure: the same wards written as facts files to a temporary folder (not timed),
`cchc-score batch FOLDER --format json -o OUT [--jobs N]` timed end to end (wall time, a
subprocess: the console script beside this Python), beside the oracle on the same files in one
process — read, checked and evaluated with totals (index and band), and evaluated alone.
`--batch-only` prints only that figure.

Then the office formats (`--formats-only` for that alone): for each bundled case (with its
appraisal where it has one), the time per ward and the bytes of each format — the facts
workbook written and read back, the HTML page, the Word report, the scoring sheet, the JSON
report — beside the oracle's evaluation of the same ward.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from oracle import Oracle  # noqa: E402
from wardgen import WardGenerator  # noqa: E402

from cchc.engine import durable  # noqa: E402
from cchc.engine.facts.check import check_facts  # noqa: E402
from cchc.engine.facts.read import parse_facts, read_facts  # noqa: E402
from cchc.engine.pack.load import resolve_pack  # noqa: E402
from cchc.reports.json_report import render_json  # noqa: E402
from cchc.scoring.score import Scorer  # noqa: E402

CASE = ROOT / "cases" / "phuong5-2024.json"


def _rate(label: str, count: int, seconds: float) -> float:
    rate = count / seconds
    print(f"  {label:<10} {rate:>9,.0f} wards/s   {seconds / count * 1e6:>8,.0f} µs/ward")
    return rate


def _timed(items: Iterable, work: Callable) -> float:
    start = time.perf_counter()
    for item in items:
        work(item)
    return time.perf_counter() - start


def _explain_all(report) -> None:
    for outcome in (*report.outcomes, *report.adjustments):
        explanation = outcome.explanation
        explanation.test  # noqa: B018 - building the sentences is what is measured
        explanation.scoring  # noqa: B018
        explanation.inputs  # noqa: B018


def _median_wall(command: list[str], runs: int = 7) -> float:
    """The median wall time of `command`, after one untimed run; as an installed tool runs:
    with its compiled .pyc files (a PYTHONDONTWRITEBYTECODE inherited from a sandbox would
    compile every module on every run) and with its pack cache warm."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _facts_text(data: dict) -> str:
    """A generated ward as facts-file text (its Decimal numbers as JSON numbers)."""
    text = json.dumps(data, ensure_ascii=False, default=lambda number: f"@@{number:f}@@")
    return re.sub(r'"@@(.*?)@@"', r"\1", text)


def batch_figure(pack, data: list[dict], pack_option: str, jobs: int | None) -> None:
    """`cchc-score batch` end to end on the wards as files, beside the oracle in one process."""
    count = len(data)
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as folder:
        wards = Path(folder, "wards")
        wards.mkdir()
        for index, item in enumerate(data):  # not timed
            (wards / f"phuong-{index:06d}.json").write_text(_facts_text(item), encoding="utf-8")
        output = Path(folder, "xep-hang.json")
        command = [str(Path(sys.executable).with_name("cchc-score")), "batch", str(wards),
                   "--format", "json", "-o", str(output), "--pack", pack_option]
        if jobs:
            command += ["--jobs", str(jobs)]
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, check=False)
        wall = time.perf_counter() - start
        scored = json.loads(output.read_text(encoding="utf-8"))["counts"]["scored"] \
            if output.exists() else 0
        oracle = Oracle(pack)
        paths = sorted(wards.glob("*.json"))
        start = time.perf_counter()
        checked = []
        for path in paths:
            ward = check_facts(read_facts(path), pack)
            oracle.total(ward)
            checked.append(ward)
        whole = time.perf_counter() - start
        start = time.perf_counter()
        for ward in checked:
            oracle.total(ward)
        evaluation = time.perf_counter() - start
    processes = jobs or os.cpu_count() or 1
    print(f"\nBatch ({count:,} facts files; {processes} process"
          f"{'' if processes == 1 else 'es'} of {os.cpu_count()} CPUs; wall time):")
    print(f"  cchc-score batch --format json -o   {wall:8.2f} s  {count / wall:>9,.0f} wards/s"
          f"   (exit {done.returncode}, {scored:,} scored)")
    print(f"  oracle, read + check + totals       {whole:8.2f} s  {count / whole:>9,.0f} wards/s"
          "   (one process)")
    print(f"  oracle, totals alone                {evaluation:8.2f} s  "
          f"{count / evaluation:>9,.0f} wards/s   (one process)")
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)


def _best(work: Callable[[], object], runs: int) -> tuple[float, object]:
    """The fastest of `runs` runs of `work` (seconds) and its last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def formats_figure(runs: int = 5) -> None:
    """Time and size per ward of each office format, on the bundled cases."""
    import tempfile

    from cchc.engine.appraisal.read import read_appraisal
    from cchc.engine.facts.workbook_write import facts_workbook
    from cchc.engine.inputs import load_facts, load_ward
    from cchc.reports.docx_report import render_docx
    from cchc.reports.html_report import render_html
    from cchc.reports.sheet_xlsx import render_sheet
    from cchc.scoring.appraisal import Appraiser

    print(f"\nOffice formats (best of {runs} runs per ward; ms, and KB written):")
    header = (f"  {'case':<28} {'oracle':>7} {'xlsx→':>7} {'→xlsx':>7} {'html':>7} "
              f"{'docx':>7} {'sheet':>7} {'json':>7}   sizes: xlsx / html / docx / sheet")
    print(header)
    cases = sorted(p for p in (ROOT / "cases").glob("*.json")
                   if not p.name.endswith(".appraisal.json"))
    folder = Path(tempfile.mkdtemp(prefix="cchc-bench-formats-"))
    for case in cases:
        document, pack, ward = load_facts(case)
        scorer = Scorer(pack)
        report = scorer.score(ward)
        appraisal_file = case.with_name(case.stem + ".appraisal.json")
        appraisal = Appraiser(pack, scorer.evaluator.compiled.branches.values()).appraise(
            report, read_appraisal(appraisal_file)) if appraisal_file.exists() else None
        oracle = Oracle(pack)
        t_oracle, _ = _best(partial(oracle.evaluate, ward), runs)
        t_write, workbook = _best(partial(facts_workbook, pack, document.content.model_dump()),
                                  runs)
        assert isinstance(workbook, bytes)
        target = folder / (case.stem + ".xlsx")
        target.write_bytes(workbook)
        t_read, _ = _best(partial(load_ward, target), runs)
        t_html, page = _best(partial(render_html, report, "vi", appraisal), runs)
        t_docx, word = _best(partial(render_docx, report, "vi", appraisal), runs)
        t_sheet, sheet = _best(partial(render_sheet, report, "vi", appraisal, pack=pack.meta),
                               runs)
        t_json, _ = _best(partial(render_json, report, appraisal), runs)
        sizes = [len(workbook), len(str(page).encode()), len(word), len(sheet)]  # type: ignore
        print(f"  {case.stem[:28]:<28} {t_oracle * 1e3:7.1f} {t_read * 1e3:7.1f} "
              f"{t_write * 1e3:7.1f} {t_html * 1e3:7.1f} {t_docx * 1e3:7.1f} "
              f"{t_sheet * 1e3:7.1f} {t_json * 1e3:7.1f}   "
              + " / ".join(f"{size / 1024:,.0f}" for size in sizes))
    print("  (xlsx→: a facts workbook read, checked and warned on; →xlsx: one written)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pack", default="phuong5-2024",
                        help="a pack id or folder, e.g. tests/packs/anhoa-2025")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes for the batch figure (default: cchc-score's, the CPUs)")
    parser.add_argument("--batch-only", action="store_true",
                        help="print only the batch figure")
    parser.add_argument("--formats-only", action="store_true",
                        help="print only the office formats' figure")
    args = parser.parse_args()
    if args.formats_only:
        formats_figure()
        return

    pack = resolve_pack(args.pack, None, None)
    generator = WardGenerator(pack, seed=args.seed)
    data = [generator.ward(index) for index in range(args.wards)]
    if args.batch_only:
        batch_figure(pack, data, args.pack, args.jobs)
        return
    compiled = Scorer(pack).evaluator.compiled
    durable_rules = sum(len(area.ruleset.definition) for area in compiled.areas)
    print(f"cchc-score benchmark — pack {pack.meta.id} {pack.meta.version}: {len(pack.rules)} "
          f"rules, {durable_rules} durable_rules rules in {len(compiled.areas)} rulesets; "
          f"{args.wards:,} generated wards; Python {sys.version.split()[0]}")

    def check(item):
        return check_facts(parse_facts(item, "bench.json"), pack)

    wards = [check(item) for item in data[:50]]  # warm-up
    scorer = Scorer(pack)
    durable.warm(scorer.evaluator.compiled.rulesets)
    oracle = Oracle(pack)
    for ward in wards:
        _explain_all(scorer.score(ward))
        oracle.evaluate(ward)
    gc.collect()
    gc.freeze()  # long-lived objects (pack, compiled rules, generated input) out of GC's way

    # One streaming pass: each ward is checked, scored, explained and run through the oracle,
    # each stage timed on its own; nothing is kept, as in a real batch.
    clock = time.perf_counter
    spent = dict.fromkeys(("check", "durable", "texts", "oracle"), 0.0)
    for item in data:
        start = clock()
        ward = check(item)
        checked = clock()
        report = scorer.score(ward)
        scored = clock()
        _explain_all(report)
        explained = clock()
        oracle.evaluate(ward)
        done = clock()
        spent["check"] += checked - start
        spent["durable"] += scored - checked
        spent["texts"] += explained - scored
        spent["oracle"] += done - explained
    count = len(data)
    print("\nThroughput (one process, one thread, streaming):")
    check_rate = _rate("check", count, spent["check"])
    durable_rate = _rate("durable", count, spent["durable"])
    explained_rate = _rate("explained", count, spent["durable"] + spent["texts"])
    _rate("pipeline", count, spent["check"] + spent["durable"] + spent["texts"])
    oracle_rate = _rate("oracle", count, spent["oracle"])
    sample = data[:500]
    _rate("json", len(sample), _timed(sample, lambda item: render_json(scorer.score(check(item)))))
    print(f"  durable / oracle = {durable_rate / oracle_rate:.2f} "
          f"(explained / oracle = {explained_rate / oracle_rate:.2f}; "
          f"check alone {check_rate:,.0f} wards/s)")

    executable = Path(sys.executable).with_name("cchc-score")
    print("\nCold start (median of 7 runs, wall time):")
    cold = _median_wall([str(executable), str(CASE)])
    imports = _median_wall([sys.executable, "-c",
                            "import durable_rules_engine, pydantic, click, tabulate, yaml"])
    bare = _median_wall([sys.executable, "-c", "pass"])
    print(f"  cchc-score {CASE.relative_to(ROOT)}   {cold * 1000:6.0f} ms")
    print(f"  import the dependencies only        {imports * 1000:6.0f} ms")
    print(f"  python -c pass                      {bare * 1000:6.0f} ms")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak resident memory of this process: {peak:,.0f} MB "
          f"(the {args.wards:,} generated facts files are held in memory; wards are not)")

    batch_figure(pack, data, args.pack, args.jobs)
    formats_figure()


if __name__ == "__main__":
    main()
