#!/usr/bin/env python3
"""The hostile inputs a security review named, each run through the command line (wall time,
exit status, first line of stderr) and through the fuzz runner in-process (1 s limit).

    python fuzz/known_cases.py [--out DIR] [--timeout 120] [--json FILE]

Prints a Markdown table. Exit status 1 if any case ends other than exit 0/2/3 within ~1 s.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fuzz.gen_pack import PACK_ID, PackGenerator  # noqa: E402
from fuzz.runner import Runner, make_fixtures, write_pack  # noqa: E402

CASE = ROOT / "cases" / "phuong5-2024.json"
CLI = [sys.executable, "-c", "from cchc.cli.main import main; main()"]


def _facts_with(value_text: str, fact: str = "thu_ngan_sach_thuc_hien") -> bytes:
    """The Phường 5 case with one number fact's value replaced by raw JSON text."""
    text = CASE.read_text("utf-8")
    marker = f'"{fact}": {{\n      "value": '
    start = text.index(marker) + len(marker)
    end = text.index(",", start)
    return (text[:start] + value_text + text[end:]).encode("utf-8")


def _unknown_keys(count: int) -> bytes:
    data = json.loads(CASE.read_text("utf-8"))
    for i in range(count):
        data["facts"][f"khong_co_{i}"] = 1
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def facts_cases() -> list[tuple[str, bytes, list[str]]]:
    """(name, facts file bytes, extra CLI options)."""
    return [
        ("`1e-1000000` as a number fact (thu_ngan_sach_thuc_hien), --format json",
         _facts_with("1e-1000000"), ["--format", "json"]),
        ("`0e-1000000` as a number fact, --format json", _facts_with("0e-1000000"),
         ["--format", "json"]),
        ("4.9-million-digit integer as a number fact", _facts_with("9" * 4_900_000), []),
        ("4.9-million-digit decimal (`0.000…1`) as a number fact",
         _facts_with("0." + "0" * 4_899_998 + "1"), []),
        ("`[\"` + 80 KB of `\\\"` (unterminated string of escapes)",
         b'["' + b'\\"' * 40_960, []),
        ("100 000 unknown fact keys", _unknown_keys(100_000), []),
    ]


def pack_cases(generator: PackGenerator) -> list[tuple[str, dict[str, Any]]]:
    facts = (generator.pack_dir / "facts.yaml").read_text("utf-8")
    anchor = "  so_van_ban_chi_dao_cchc:\n    type: count\n"
    assert anchor in facts
    huge_max = facts.replace(anchor, anchor + '    maximum: "1e999999999"\n')
    return [
        ('count fact with `maximum: "1e999999999"`', {"facts.yaml": huge_max.encode()}),
        ("metric chain 1 200 deep", generator.chain(random.Random(0), depth=1200)[1]),
        ("diamond metrics, 26 levels", generator.diamond(random.Random(0), levels=26)[1]),
        ("739 rules in one area (rules/02_the_che.yaml)", _many_rules(generator, 739)),
    ]


def _many_rules(generator: PackGenerator, count: int) -> dict[str, Any]:
    for seed in range(200):  # the generator picks the rules file at random: find the_che's
        what, overrides = generator.many_rules(random.Random(seed), count=count)
        if "02_the_che" in what:
            return overrides
    raise LookupError("02_the_che.yaml")


def run_cli(args: list[str], timeout: float) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        done = subprocess.run([*CLI, *args], capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": time.perf_counter() - started, "exit": None,
                "stderr": f"(killed after {timeout:g} s)", "stderr_bytes": 0, "stdout_bytes": 0}
    elapsed = time.perf_counter() - started
    err = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines()
           if line.strip()]
    # the error's title, then the first problem: where, Vietnamese, English
    head = " / ".join([err[0], *err[2:5]]) if err else ""
    return {"seconds": elapsed, "exit": done.returncode, "stderr": head[:400],
            "stderr_bytes": len(done.stderr), "stdout_bytes": len(done.stdout)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds before the command line is killed (default 120)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="cchc-known-"))
    out.mkdir(parents=True, exist_ok=True)
    runner = Runner(out / ".work", 1.0)
    generator = PackGenerator(ROOT / "rules" / PACK_ID)
    baseline = run_cli([str(CASE), "--format", "json"], args.timeout)
    rows = []
    for number, (name, data, options) in enumerate(facts_cases(), 1):
        folder = out / f"facts-{number}"
        make_fixtures(folder)
        path = folder / "facts.json"
        path.write_bytes(data)
        cli = run_cli([str(path), *options], args.timeout)
        outcome = runner.run("facts", data)
        rows.append({"case": name, "input": str(path), "size": len(data), **cli,
                     "in_process": outcome.key or outcome.status,
                     "in_process_seconds": outcome.elapsed, "line": outcome.line})
    for number, (name, overrides) in enumerate(pack_cases(generator), 1):
        folder = out / f"pack-{number}"
        write_pack(runner.pristine, folder, overrides)
        cli = run_cli(["--pack", str(folder), str(CASE), "--format", "json"], args.timeout)
        outcome = runner.run("pack", overrides)
        rows.append({"case": name, "input": str(folder), "size": sum(
            len(v) for v in overrides.values() if isinstance(v, bytes)), **cli,
            "in_process": outcome.key or outcome.status,
            "in_process_seconds": outcome.elapsed, "line": outcome.line})
    print(f"Baseline (cases/phuong5-2024.json --format json): {baseline['seconds']:.2f} s, "
          f"exit {baseline['exit']} (interpreter start-up included)\n")
    print("| case | CLI time | exit | stdout / stderr bytes | CLI stderr (first problem) "
          "| in-process (1 s limit) |")
    print("|---|---|---|---|---|---|")
    bad = False
    for row in rows:
        exit_text = "killed" if row["exit"] is None else str(row["exit"])
        print(f"| {row['case']} | {row['seconds']:.2f} s | {exit_text} | "
              f"{row['stdout_bytes']:,} / {row['stderr_bytes']:,} | "
              f"{row['stderr'].replace('|', '/')} | {row['in_process']} "
              f"({row['in_process_seconds']:.2f} s) |")
        bad = bad or row["exit"] not in (0, 2, 3) or row["seconds"] > baseline["seconds"] + 1.0
    print(f"\ninputs: {out}")
    if args.json:
        args.json.write_text(json.dumps({"baseline": baseline, "rows": rows}, indent=2,
                                        ensure_ascii=False) + "\n", "utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
