"""A bounded run of the fuzz harness (fuzz/fuzz_inputs.py): hostile facts files and rule packs
through the real loaders, fixed seed, at most ~50 s. Any exception that is not an InputError or
a PackError, any input taking more than 1 s, any crash fails the test, listing each class of
finding with the example that shows it (replay it with `python fuzz/fuzz_inputs.py --seed SEED
--target both --only INDEX`, or the reproducer path printed).
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
