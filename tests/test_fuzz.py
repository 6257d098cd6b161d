"""A bounded run of the fuzz harness (fuzz/fuzz_inputs.py): hostile facts files and rule packs
through the real loaders, fixed seed, at most ~50 s. Any exception that is not an InputError or
a PackError, any input taking more than 1 s, any crash fails the test, listing each class of
finding with the example that shows it (replay it with `python fuzz/fuzz_inputs.py --seed SEED
--target both --only INDEX`, or the reproducer path printed).

The second test does the same for the synthetic second pack (tests/packs/anhoa-2025, every
construct of the rule language: dates lists, tables, per_period, each, days_between with a
working-day calendar, compound tests, applies_if, late tiers, capped deductions, adjustments):
its YAML mutated, and facts files made from its tests' base ward and its case file, scored with
`--pack tests/packs/anhoa-2025` (replay with `python fuzz/fuzz_inputs.py --pack
tests/packs/anhoa-2025 --seed SEED --target both --only INDEX`). At most ~20 s.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

fuzz_inputs = pytest.importorskip("fuzz.fuzz_inputs")

SEED = 20240201
EXAMPLES = 400     # both targets, alternating; the same 400 inputs every run
SECONDS = 45.0     # a ceiling: slow inputs (each cut at 2 s) must not stretch the test past 60 s


def test_fuzz_finds_nothing(tmp_path: Path) -> None:
    summary = fuzz_inputs.fuzz(("facts", "pack"), seconds=SECONDS, seed=SEED, limit=2.0,
                               max_examples=EXAMPLES, out_dir=tmp_path, minimize_seconds=0,
                               quiet=True)
    assert summary.total > 0
    if summary.findings:
        pytest.fail("the fuzz harness found inputs that escape the loaders:\n"
                    + summary.describe(), pytrace=False)


ANHOA = ROOT / "tests" / "packs" / "anhoa-2025"
ANHOA_SEED = 20250108
ANHOA_EXAMPLES = 200   # both targets, alternating; the same 200 inputs every run
ANHOA_SECONDS = 18.0   # a ceiling, as above: the test stays under ~20 s


def test_fuzz_second_pack_finds_nothing(tmp_path: Path) -> None:
    summary = fuzz_inputs.fuzz(("facts", "pack"), seconds=ANHOA_SECONDS, seed=ANHOA_SEED,
                               limit=2.0, max_examples=ANHOA_EXAMPLES, out_dir=tmp_path,
                               minimize_seconds=0, quiet=True, pack_dir=ANHOA)
    assert summary.total > 0
    assert summary.pack == "tests/packs/anhoa-2025"
    if summary.findings:
        pytest.fail("the fuzz harness found inputs that escape the loaders (pack "
                    "tests/packs/anhoa-2025):\n" + summary.describe(), pytrace=False)
