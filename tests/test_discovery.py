"""Packs found by id outside the tool: `--packs-dir`, `$CCHC_SCORE_PACKS`, the user folder, the
shipped packs, in that order; `cchc-score packs`; a facts file naming another pack than the one
chosen on the command line."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import CASES, PACK_ID, edit_pack

from cchc.cli.main import cli
from cchc.engine.errors import CommandLineError, InputError, PackError
from cchc.engine.pack import discover
from cchc.engine.pack.load import find_packs, read_manifest, resolve_pack
from cchc.rules import shipped_packs

CITY_ID = "phuong5-2024-tp"


@pytest.fixture(autouse=True)
def no_outside_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No packs but the shipped ones unless a test puts some: no $CCHC_SCORE_PACKS, and a user
    folder of the test's own (not yet created)."""
    monkeypatch.delenv(discover.PACKS_ENV, raising=False)
    user = tmp_path / "user-data" / "packs"
    monkeypatch.setattr(discover, "user_packs_dir", lambda: user)
    return user


def make_pack(root: Path, folder: str, pack_id: str = CITY_ID, version: str | None = None) -> Path:
    """A copy of the shipped pack in `root/folder`, with its id (and version) changed."""
    target = root / folder
    shutil.copytree(str(shipped_packs()[PACK_ID]), target)
    if pack_id != PACK_ID:
        edit_pack(target, "pack.yaml", f"id: {PACK_ID}", f"id: {pack_id}")
    if version is not None:
        edit_pack(target, "pack.yaml", 'version: "1.0.0"', f'version: "{version}"')
    return target


def facts_naming(tmp_path: Path, pack_id: str | None) -> Path:
    """The Phường 5 case, naming `pack_id` (or no pack)."""
    data = json.loads((CASES / "phuong5-2024.json").read_text(encoding="utf-8"))
    if pack_id is None:
        data.pop("pack", None)
    else:
        data["pack"] = pack_id
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- where packs are found, and in which order -----------------------------------------------


def test_shipped_pack_folders_are_named_by_their_id():
    for name, folder in shipped_packs().items():
        assert read_manifest(folder, name).id == name


PLACES = ["packs_dir", "env", "user"]


@pytest.mark.parametrize("present", [PLACES, PLACES[1:], PLACES[2:], ["packs_dir", "user"],
                                     ["env"]])
def test_packs_dir_beats_env_beats_user_folder(tmp_path, monkeypatch, no_outside_packs,
                                               present):
    roots = {"packs_dir": tmp_path / "cli", "env": tmp_path / "env", "user": no_outside_packs}
    for place in present:  # the folder name never matters: the id is pack.yaml's
        make_pack(roots[place], f"copy-{place}", version=f"1.0.0-{place}")
    if "env" in present:
        monkeypatch.setenv(discover.PACKS_ENV, str(roots["env"]))
    packs_dir = str(roots["packs_dir"]) if "packs_dir" in present else None
    pack = resolve_pack(CITY_ID, None, None, packs_dir=packs_dir)
    assert pack.meta.version == f"1.0.0-{present[0]}"
    assert pack.location == str(roots[present[0]] / f"copy-{present[0]}")
    assert pack.shipped is False


def test_a_pack_outside_shadows_the_shipped_one_of_its_id(tmp_path, no_outside_packs):
    assert resolve_pack(PACK_ID, None, None).location == PACK_ID  # nothing outside: shipped
    copy = make_pack(no_outside_packs, "mine", PACK_ID)
    same = resolve_pack(PACK_ID, None, None)  # found in the user folder, byte for byte shipped
    assert same.location == str(copy) and same.shipped is True
    edit_pack(copy, "pack.yaml", 'version: "1.0.0"', 'version: "1.0.1"')
    changed = resolve_pack(PACK_ID, None, None)
    assert changed.location == str(copy) and changed.meta.version == "1.0.1"
    assert changed.shipped is False


def test_the_environment_names_several_folders_the_first_winning(tmp_path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    make_pack(second, "p", version="second")
    make_pack(first, "p", version="first")
    missing = tmp_path / "not-there"  # skipped, as PATH entries are
    monkeypatch.setenv(discover.PACKS_ENV, os.pathsep.join([str(missing), str(first),
                                                             str(second)]))
    assert resolve_pack(CITY_ID, None, None).meta.version == "first"
    monkeypatch.setenv(discover.PACKS_ENV, os.pathsep.join([str(second), str(first)]))
    assert resolve_pack(CITY_ID, None, None).meta.version == "second"


def test_a_packs_dir_that_does_not_exist_is_a_usage_error(tmp_path, runner):
    with pytest.raises(CommandLineError):
        resolve_pack(PACK_ID, None, None, packs_dir=str(tmp_path / "nowhere"))
    result = runner.invoke(cli, ["rules", "--packs-dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "--packs-dir" in result.output and "nowhere" in result.output


def test_an_unknown_id_lists_the_ids_found(tmp_path):
    make_pack(tmp_path / "d", "x")
    with pytest.raises(CommandLineError) as caught:
        resolve_pack("phuong9-2030", None, None, packs_dir=str(tmp_path / "d"))
    assert CITY_ID in str(caught.value) and PACK_ID in str(caught.value)


def test_two_folders_of_one_packs_dir_with_one_id_are_refused(tmp_path, runner):
    make_pack(tmp_path / "d", "one")
    make_pack(tmp_path / "d", "two")
    with pytest.raises(CommandLineError) as caught:
        resolve_pack(CITY_ID, None, None, packs_dir=str(tmp_path / "d"))
    assert "one" in str(caught.value) and "two" in str(caught.value)
    listed = runner.invoke(cli, ["packs", "--packs-dir", str(tmp_path / "d")])
    assert listed.exit_code == 0 and "trùng mã" in listed.output


def test_a_broken_pack_outside_does_not_stop_others_but_is_listed(tmp_path, runner,
                                                                   no_outside_packs):
    broken = make_pack(no_outside_packs, CITY_ID)
    (broken / "pack.yaml").write_text("id: [\n", encoding="utf-8")
    assert resolve_pack(PACK_ID, None, None).location == PACK_ID
    with pytest.raises(PackError):  # the folder named so is the one meant: its error, not "none"
        resolve_pack(CITY_ID, None, None)
    result = runner.invoke(cli, ["packs", "--format", "json"])
    assert result.exit_code == 0, result.output
    entry = next(p for p in json.loads(result.stdout) if p["path"] == str(broken))
    assert entry["id"] is None and entry["active"] is False and "YAML" in entry["error"]


def test_a_facts_file_without_a_pack_and_two_packs_for_its_year_is_refused(tmp_path, runner):
    make_pack(tmp_path / "d", "city")
    path = facts_naming(tmp_path, None)
    result = runner.invoke(cli, [str(path), "--packs-dir", str(tmp_path / "d")])
    assert result.exit_code == 2, result.output
    assert "$.year" in result.output and CITY_ID in result.output and PACK_ID in result.output
    assert runner.invoke(cli, [str(path), "--format", "scorecard"]).exit_code == 0


# --- every command that reads a pack takes --packs-dir ---------------------------------------


def test_a_facts_file_may_name_a_pack_found_outside_by_id(tmp_path, runner):
    folder = make_pack(tmp_path / "d", "city", version="9.9.9")
    path = facts_naming(tmp_path, CITY_ID)
    result = runner.invoke(cli, [str(path), "--packs-dir", str(tmp_path / "d"), "--format",
                                 "json"])
    assert result.exit_code == 0, result.output
    pack = json.loads(result.stdout)["pack"]
    assert (pack["id"], pack["version"], pack["location"], pack["shipped"]) == (
        CITY_ID, "9.9.9", str(folder), False)
    # without the folder the id is not found: the facts file's `pack` is the problem
    missing = runner.invoke(cli, [str(path)])
    assert missing.exit_code == 2 and "$.pack" in missing.output


@pytest.mark.parametrize(("args", "needle"), [
    (["rules"], f"{CITY_ID} 7.7.7"),
    (["rules", "--format", "json"], '"CDDH-01"'),
    (["template"], f'"pack": "{CITY_ID}"'),
    (["schema"], f"cchc-score facts file — {CITY_ID}"),
])
def test_pack_commands_take_packs_dir(tmp_path, runner, args, needle):
    make_pack(tmp_path / "d", "city", version="7.7.7")
    result = runner.invoke(cli, [*args, "--pack", CITY_ID, "--packs-dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert needle in result.output
    unknown = runner.invoke(cli, [*args, "--pack", CITY_ID])
    assert unknown.exit_code == 2, unknown.output


def test_the_test_command_takes_packs_dir(tmp_path, runner):
    make_pack(tmp_path / "d", "city", version="7.7.7")
    result = runner.invoke(cli, ["test", CITY_ID, "--packs-dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert CITY_ID in result.output
    assert runner.invoke(cli, ["test", CITY_ID]).exit_code == 2


# --- a facts file naming another pack than the command line's --------------------------------


def test_a_pack_folder_of_another_id_than_the_facts_file_names_is_refused(tmp_path, runner):
    folder = make_pack(tmp_path, "city")
    path = facts_naming(tmp_path, PACK_ID)
    before = path.read_bytes()
    result = runner.invoke(cli, [str(path), "--pack", str(folder)])
    assert result.exit_code == 2, result.output
    assert "$.pack" in result.output and str(path) in result.output
    assert f"'{PACK_ID}'" in result.output and f"'{CITY_ID}'" in result.output
    assert "tệp dữ kiện nêu gói quy tắc" in result.output  # Vietnamese first
    assert "the facts file names the rule pack" in result.output
    assert path.read_bytes() == before
    with pytest.raises(InputError):
        resolve_pack(str(folder), PACK_ID, 2024, str(path))
    # the same id is fine, and so is a facts file that names no pack
    assert runner.invoke(cli, [str(facts_naming(tmp_path, CITY_ID)), "--pack",
                               str(folder)]).exit_code == 0
    assert runner.invoke(cli, [str(facts_naming(tmp_path, None)), "--pack",
                               str(folder)]).exit_code == 0


def test_a_pack_id_of_another_pack_than_the_facts_file_names_is_refused(tmp_path, runner):
    make_pack(tmp_path / "d", "city")
    path = facts_naming(tmp_path, PACK_ID)
    result = runner.invoke(cli, [str(path), "--pack", CITY_ID, "--packs-dir",
                                 str(tmp_path / "d")])
    assert result.exit_code == 2, result.output
    assert "$.pack" in result.output


def test_a_facts_file_still_cannot_name_a_folder(tmp_path, runner):
    folder = make_pack(tmp_path / "d", "city")
    path = facts_naming(tmp_path, str(folder))
    result = runner.invoke(cli, [str(path), "--packs-dir", str(tmp_path / "d")])
    assert result.exit_code == 2, result.output
    assert "$.pack" in result.output and "chỉ được nêu mã của một gói quy tắc" in result.output


# --- cchc-score packs ------------------------------------------------------------------------


def test_packs_lists_every_pack_found_with_its_source_and_shadows(tmp_path, runner, monkeypatch,
                                                                  no_outside_packs):
    cli_copy = make_pack(tmp_path / "d", "city", version="2.0.0")
    env_copy = make_pack(tmp_path / "env", "city", version="3.0.0")
    user_copy = make_pack(no_outside_packs, "own", PACK_ID, version="4.0.0")
    monkeypatch.setenv(discover.PACKS_ENV, str(tmp_path / "env"))
    args = ["packs", "--packs-dir", str(tmp_path / "d")]

    listing = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    shipped_path = str(shipped_packs()[PACK_ID])
    assert [(p["id"], p["version"], p["source"], p["path"], p["active"]) for p in listing] == [
        (CITY_ID, "2.0.0", "packs_dir", str(cli_copy), True),
        (CITY_ID, "3.0.0", "env", str(env_copy), False),
        (PACK_ID, "4.0.0", "user", str(user_copy), True),
        (PACK_ID, "1.0.0", "shipped", shipped_path, False),
    ]
    assert listing[0]["shadows"] == [str(env_copy)] and listing[1]["shadowed_by"] == str(cli_copy)
    assert listing[2]["shadows"] == [shipped_path] and listing[3]["shadowed_by"] == str(user_copy)
    assert listing[0]["year"] == 2024 and listing[0]["title"]["vi"].startswith("Chấm điểm")

    table = runner.invoke(cli, args)
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert "Nguồn / source" in lines[0] and "Thư mục / path" in lines[0]
    for needle in ("--packs-dir", "$CCHC_SCORE_PACKS", "thư mục người dùng / user folder",
                   "đi kèm công cụ / shipped", str(user_copy), "2.0.0", "che / shadows",
                   "bị che bởi / shadowed by", f"({CITY_ID})", f"({PACK_ID})"):
        assert needle in table.output, needle


def test_packs_with_nothing_outside_lists_the_shipped_packs(runner):
    result = runner.invoke(cli, ["packs", "--format", "json"])
    assert result.exit_code == 0, result.output
    listing = json.loads(result.stdout)
    assert [(p["id"], p["source"], p["active"], p["shadows"]) for p in listing] == [
        (name, "shipped", True, []) for name in shipped_packs()]
    assert [item.id for item in find_packs()] == list(shipped_packs())


def test_a_facts_file_naming_an_id_found_nowhere_says_where_to_look(tmp_path, runner,
                                                                    no_outside_packs):
    facts = json.loads((CASES / "phuong5-2024.json").read_text(encoding="utf-8"))
    facts["pack"] = "tanloi-2026"
    path = tmp_path / "ward.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(cli, [str(path)])
    assert result.exit_code == 2
    assert "no rule pack of id 'tanloi-2026' was found" in result.output
    assert "--packs-dir" in result.output and "not a folder" not in result.output
