"""The pack cache (cchc.engine.pack.cache): a cached pack scores exactly as one read from its
files; a damaged, foreign or stale entry is ignored and rebuilt; any change to the pack's bytes
is a new key; `CCHC_SCORE_CACHE_DIR=off` turns it off; a pack that fails to load is never
cached. Each test has a cache folder of its own (the suite's is a temporary folder too, set in
conftest: never the user's)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest
from conftest import CASES, edit_pack

from cchc.engine.errors import PackError
from cchc.engine.evaluate.compile import compile_pack
from cchc.engine.inputs import load_ward
from cchc.engine.pack import cache, load
from cchc.engine.pack.load import load_pack, read_manifest
from cchc.reports.json_report import render_json
from cchc.rules import shipped_packs
from cchc.scoring.score import Scorer

CASE = CASES / "phuong5-2024.json"


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The packs read from their files (not from the cache), by the name they are shown by."""
    seen: list[str] = []
    real = load.load_files

    def counting(folder, display):
        seen.append(display)
        return real(folder, display)

    monkeypatch.setattr(load, "load_files", counting)
    return seen


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*" + cache._SUFFIX))


def _report(pack_folder: Path | None = None) -> str:
    pack, ward = load_ward(CASE, str(pack_folder) if pack_folder else None)
    return render_json(Scorer(pack).score(ward))


def test_the_suite_never_writes_to_the_users_cache():
    assert os.environ.get(cache.CACHE_ENV)
    assert cache.cache_dir() != Path(platformdirs.user_cache_dir("cchc-score")) / "packs"


def test_a_cached_pack_scores_exactly_as_one_read_from_its_files(cache_dir, reads,
                                                                 monkeypatch):
    first = _report()
    assert reads == ["phuong5-2024"] and _entries(cache_dir)  # read, then cached
    second = _report()
    assert reads == ["phuong5-2024"]  # from the cache this time
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    uncached = _report()
    assert reads == ["phuong5-2024"] * 2
    assert first == second == uncached


def test_the_compiled_rulesets_are_cached_with_the_pack(cache_dir):
    fresh = compile_pack(load_pack(shipped_packs()["phuong5-2024"], "phuong5-2024"))
    cached = compile_pack(load_pack(shipped_packs()["phuong5-2024"], "phuong5-2024"))
    assert [area.ruleset for area in cached.areas] == [area.ruleset for area in fresh.areas]
    assert cached.branches == fresh.branches and cached.by_rule_name == fresh.by_rule_name


def test_a_pack_made_in_memory_is_never_taken_from_the_cache(cache_dir):
    import dataclasses

    pack = load_pack(shipped_packs()["phuong5-2024"], "phuong5-2024")
    assert pack.cache_key is not None
    changed = dataclasses.replace(pack, rules=pack.rules[:-1])
    assert changed.cache_key is None
    assert len(compile_pack(changed).branches) < len(compile_pack(pack).branches)


def test_a_pack_changed_in_place_is_compiled_afresh(cache_dir):
    pack = load_pack(shipped_packs()["phuong5-2024"], "phuong5-2024")
    first = compile_pack(pack)
    original = pack.rules[0]
    pack.rules[0] = original.model_copy(update={"id": "CDDH-99"})
    try:
        changed = compile_pack(pack)
    finally:
        pack.rules[0] = original
    assert any(branch.rule_id == "CDDH-99" for branch in changed.branches.values())
    assert compile_pack(pack).branches == first.branches


@pytest.mark.parametrize("damage", [
    lambda data: b"",                                   # empty
    lambda data: data[: len(data) // 2],                # truncated
    lambda data: data[:-40] + b"\x00" * 40,             # corrupt at the end
    lambda data: b"not a pickle at all",                # garbage
    lambda data: data.replace(cache.FORMAT, b"cchc-score/pack-cache/0", 1),  # another version
    lambda data: data.split(b"\n", 2)[0] + b"\n" + b"0" * 64 + b"\n" + data.split(b"\n", 2)[2],
])
def test_a_damaged_entry_is_ignored_and_rebuilt(cache_dir, reads, damage):
    expected = _report()
    for entry in _entries(cache_dir):
        entry.write_bytes(damage(entry.read_bytes()))
    assert _report() == expected
    assert reads == ["phuong5-2024", "phuong5-2024"]  # read again from the files
    assert _report() == expected
    assert len(reads) == 2  # and the entry written again


def test_an_unreadable_cache_folder_is_no_cache(tmp_path, monkeypatch, reads):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert _report() == _report()
    assert len(reads) == 2


def test_the_environment_variable_turns_it_off(tmp_path, monkeypatch, reads):
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() is None
    _report()
    _report()
    assert len(reads) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_changed_pack_file_is_a_new_key(cache_dir, reads, pack_copy):
    before = _without_hashes(_report(pack_copy))
    entries = set(_entries(cache_dir))
    assert entries
    edit_pack(pack_copy, "pack.yaml", "title:", "title:  ")  # the same YAML, other bytes
    assert _without_hashes(_report(pack_copy)) == before
    assert set(_entries(cache_dir)) > entries  # a new entry beside the old
    assert reads.count(str(pack_copy)) == 2


def _without_hashes(report: str) -> dict:
    import json

    data = json.loads(report)
    del data["pack"]["sha256"], data["pack"]["files"], data["pack"]["shipped"]
    return data


def test_an_edited_rule_is_read_not_taken_from_the_cache(cache_dir, pack_copy):
    pack = load_pack(pack_copy, str(pack_copy))
    rule = pack.rules[0]
    edit_pack(pack_copy, "rules/01_chi_dao_dieu_hanh.yaml", rule.title.vi, "Tên mới")
    assert load_pack(pack_copy, str(pack_copy)).rules[0].title.vi == "Tên mới"
    (pack_copy / "rules" / "01_chi_dao_dieu_hanh.yaml").rename(pack_copy / "rules" / "00_a.yaml")
    assert "rules/00_a.yaml" in load_pack(pack_copy, str(pack_copy)).file_hashes


def test_a_pack_that_fails_to_load_is_never_cached(cache_dir, pack_copy):
    edit_pack(pack_copy, "pack.yaml", "year:", "yeer:")
    errors = []
    for _ in range(2):
        with pytest.raises(PackError) as raised:
            load_pack(pack_copy, str(pack_copy))
        errors.append(raised.value.describe())
    assert errors[0] == errors[1]
    assert not any(entry.stat().st_size > 10_000 for entry in _entries(cache_dir))


def test_a_manifest_is_cached_by_its_bytes(cache_dir, pack_copy, monkeypatch):
    first = read_manifest(pack_copy, str(pack_copy))
    monkeypatch.setattr(load, "read_yaml", lambda *args, **kwargs: pytest.fail("read again"))
    assert read_manifest(pack_copy, str(pack_copy)) == first
    monkeypatch.undo()
    monkeypatch.setenv(cache.CACHE_ENV, str(cache_dir))
    edit_pack(pack_copy, "pack.yaml", "year:", "year: ")
    assert read_manifest(pack_copy, str(pack_copy)) == first  # read afresh: same content


def test_old_entries_are_pruned(cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    for index in range(4):
        cache.cached(f"test{index}", "source", int, lambda index=index: index)
    assert len(_entries(cache_dir)) == 2
    assert cache.cached("test3", "source", int, lambda: pytest.fail("built again")) == 3


def test_a_cache_entry_of_another_type_is_built_again(cache_dir):
    assert cache.cached("thing", "a", int, lambda: 1) == 1
    assert cache.cached("thing", "a", str, lambda: "one") == "one"  # same key, other type
