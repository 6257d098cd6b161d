"""Shared fixtures: the shipped pack (loaded once), a scorer, facts from dicts, the CLI runner."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, settings

from cchc.engine.facts.check import check_facts
from cchc.engine.facts.model import WardFacts
from cchc.engine.facts.read import parse_facts
from cchc.engine.pack.load import resolve_pack
from cchc.engine.pack.model import Pack
from cchc.rules import shipped_packs
from cchc.scoring.score import Scorer

# The pack cache (cchc.engine.pack.cache) of this test run, never the user's: set before any pack
# is loaded, inherited by the commands the tests run. Every test after the first loads packs
# from it, so the suite checks cached packs as much as freshly read ones.
_CACHE = tempfile.mkdtemp(prefix="cchc-score-test-cache-")
os.environ["CCHC_SCORE_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
PACK_ID = "phuong5-2024"

# Locally the property tests explore new examples on every run, and a failure shrinks to a
# small ward.
# A generated ward is a whole facts file (~120 facts): large by hypothesis' measure, and slow.
WARD_SIZED = [HealthCheck.large_base_example, HealthCheck.data_too_large, HealthCheck.too_slow]
settings.register_profile("wards", suppress_health_check=WARD_SIZED, deadline=None)
# CI: fixed examples, so a landing never depends on a lucky draw, and no shrinking — a failing
# whole ward can take minutes to shrink; the printed blob replays it locally, where it shrinks.
settings.register_profile("ci", parent=settings.get_profile("wards"), derandomize=True,
                          print_blob=True, phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.load_profile("ci" if os.environ.get("CI") else "wards")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files (cases/*.scorecard.txt, cases/expected/*.json)")


@pytest.fixture(scope="session")
def pack() -> Pack:
    return resolve_pack(PACK_ID, None, None)


@pytest.fixture(scope="session")
def scorer(pack: Pack) -> Scorer:
    return Scorer(pack)


@pytest.fixture(scope="session")
def ward_from(pack: Pack):
    """Check a facts dict against the shipped pack."""

    def make(data: dict, name: str = "test.json") -> WardFacts:
        return check_facts(parse_facts(data, name), pack)

    return make


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def pack_copy(tmp_path: Path) -> Path:
    """A copy of the shipped pack, in a folder a test may edit."""
    folder = tmp_path / "pack"
    shutil.copytree(str(shipped_packs()["phuong5-2024"]), folder)
    return folder


def edit_pack(folder: Path, relative: str, old: str, new: str) -> None:
    """Replace the first `old` in a pack file with `new` (the text must be there)."""
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
