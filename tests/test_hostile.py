"""Hostile inputs, packs, output paths and signals: each class answered in about a second with
exit status 2 (input, usage) or 3 (pack), a plain message and no traceback; nothing the run
reads is ever written; a stopped write leaves nothing behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import CASES, edit_pack

from cchc.cli.main import cli
from cchc.cli.output import write_output
from cchc.engine.errors import CommandLineError

PHUONG5 = CASES / "phuong5-2024.json"
FAST = 3.0  # seconds: generous for a slow CI machine, far below the minutes these took


def _run(runner, args, status):
    started = time.monotonic()
    result = runner.invoke(cli, [str(a) for a in args])
    elapsed = time.monotonic() - started
    assert result.exit_code == status, result.output
    assert "Traceback" not in result.output
    assert elapsed < FAST, f"{elapsed:.1f} s"
    return result.output


def _facts(tmp_path: Path, text: str, name: str = "facts.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- hostile facts files -------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["1e-1000000", "1e-10000000", "9" * 4_900_000, "1e1000000",
                                    "1" + "0" * 60])
def test_absurd_numbers_are_refused_at_once(runner, tmp_path, number):
    text = PHUONG5.read_text(encoding="utf-8").replace(
        '"value": 48', f'"value": {number}', 1)
    out = _run(runner, [_facts(tmp_path, text), "--format", "json"], 2)
    assert "quá dài hoặc quá lớn" in out and "$.facts.so_tin_bai_tuyen_truyen_cchc.value" in out


def test_an_unclosed_string_of_escaped_quotes_is_linear(runner, tmp_path):
    _run(runner, [_facts(tmp_path, '["' + '\\"' * 160_000)], 2)


def test_a_flood_of_unknown_keys_is_capped(runner, tmp_path):
    facts = {f"k{i}": 1 for i in range(100_000)}
    text = json.dumps({"unit": {"ward": "Phường 5"}, "year": 2024, "facts": facts})
    out = _run(runner, [_facts(tmp_path, text)], 2)
    assert len(out) < 20_000 and "99.950" in out and "more" in out


def test_devices_and_pipes_are_never_read(runner, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    out = _run(runner, [fifo], 2)
    assert "không phải là một tệp thường" in out
    _run(runner, ["/dev/zero"], 2)


def test_a_path_component_too_long_is_an_input_error(runner, tmp_path):
    _run(runner, [tmp_path / ("a" * 300) / "facts.json"], 2)
    _run(runner, [tmp_path / ("a" * 300 + ".json")], 2)


def test_nul_in_a_text_and_full_width_digits_in_a_date_are_refused(runner, tmp_path):
    data = json.loads(PHUONG5.read_text(encoding="utf-8"))
    data["unit"]["ward"] = "Phường\u00005"
    out = _run(runner, [_facts(tmp_path, json.dumps(data, ensure_ascii=False))], 2)
    assert "NUL" in out and "$.unit.ward" in out
    data["unit"]["ward"] = "Phường 5"
    data["facts"]["ngay_ban_hanh_ke_hoach_cchc"]["value"] = "２０２４-02-01"
    out = _run(runner, [_facts(tmp_path, json.dumps(data, ensure_ascii=False), "b.json")], 2)
    assert "$.facts.ngay_ban_hanh_ke_hoach_cchc.value" in out


# --- hostile packs -------------------------------------------------------------------------------




def _metrics(count: int, name: str, shape: str) -> str:
    out = []
    for i in range(count):
        first = "ho_so_tiep_nhan" if i == 0 else f"{name}{i - 1}"
        second = "ho_so_tiep_nhan" if shape == "chain" or i == 0 else f"{name}{i - 1}"
        out.append(f"  {name}{i}:\n    kind: difference\n    label: {{vi: m, en: m}}\n"
                   f"    minuend: {first}\n    subtrahend: {second}\n"
                   f"    unit: {{vi: x, en: x}}\n    non_negative: false\n")
    return "".join(out)


@pytest.mark.parametrize(("relative", "old", "new"), [
    ("facts.yaml", "    numerator: ho_so_so_hoa\n",
     '    numerator: ho_so_so_hoa\n    scale: "1e400"\n'),
    ("facts.yaml", "    numerator: ho_so_so_hoa\n", "    numerator: ho_so_so_hoa\n    scale: 0\n"),
    ("facts.yaml", "    type: count\n", '    type: count\n    maximum: "1e999999999"\n'),
    ("rules/01_chi_dao_dieu_hanh.yaml", "deadline: 2024-02-29", "deadline: 2024-02-30"),
    ("rules/03_thu_tuc_hanh_chinh.yaml", "value: 60}", 'value: "1e999"}'),
    ("pack.yaml", 'version: "1.0.0"', "version: !!binary aGVsbG8="),
    ("pack.yaml", 'version: "1.0.0"', 'version: "1.0.0"\n? [a, b]\n: 1'),
    ("facts.yaml", "\nmetrics:\n", "\nmetrics:\n" + _metrics(1200, "c", "chain")),
    ("rules/06_tai_chinh_cong.yaml", "rules:\n", "".join(
        f"_b{i}: &b{i} [{', '.join([f'*b{i - 1}' if i else 'x'] * 9)}]\n" for i in range(9))
     + "rules:\n"),
    ("facts.yaml", "\nmetrics:\n", "\nmetrics:\n" + _metrics(26, "d", "diamond")),
])
def test_hostile_packs_are_pack_errors_at_once(runner, pack_copy, relative, old, new):
    edit_pack(pack_copy, relative, old, new)
    _run(runner, [PHUONG5, "--pack", pack_copy], 3)


def test_an_area_too_large_for_durable_rules_is_a_pack_error(runner, pack_copy):
    rules = (pack_copy / "rules" / "03_thu_tuc_hanh_chinh.yaml").read_text(encoding="utf-8")
    head, _, body = rules.partition("rules:\n")
    copies = [body.replace("  - id: TTHC-", f"  - id: TTHC{n}-") for n in range(6)]
    (pack_copy / "rules" / "03_thu_tuc_hanh_chinh.yaml").write_text(
        head + "rules:\n" + "".join(copies), encoding="utf-8")
    out = _run(runner, [PHUONG5, "--pack", pack_copy], 3)
    assert "split the area" in out or "points" in out


# --- outputs -------------------------------------------------------------------------------------


def test_outputs_never_replace_a_link_a_pipe_or_a_device(runner, tmp_path):
    target = tmp_path / "real.txt"
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    _run(runner, [PHUONG5, "-o", link], 2)
    assert link.is_symlink() and not target.exists()
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _run(runner, [PHUONG5, "-o", fifo], 2)
    _run(runner, [PHUONG5, "-o", "/dev/null"], 2)
    assert Path("/dev/null").is_char_device()


def test_outputs_never_overwrite_a_file_of_the_pack_being_read(runner, pack_copy):
    (pack_copy / "notes.json").write_text("{}", encoding="utf-8")
    manifest = pack_copy / "pack.yaml"
    before = manifest.read_bytes()
    _run(runner, [PHUONG5, "--pack", pack_copy, "--format", "json", "-o", manifest], 2)
    assert manifest.read_bytes() == before


def test_long_output_names_and_os_refusals_are_usage_errors(runner, tmp_path, monkeypatch):
    long_name = tmp_path / ("a" * 250 + ".txt")  # the temporary name must not overflow
    _run(runner, [PHUONG5, "-o", long_name], 0)
    assert long_name.exists()
    _run(runner, [PHUONG5, "-o", tmp_path / ("b" * 300 + ".txt")], 2)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(CommandLineError, match="quyền"):
        write_output(str(tmp_path / "x.txt"), "text")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cchc")] == []


def test_stale_temporary_files_of_a_killed_run_are_removed(tmp_path):
    stale = tmp_path / ".cchc-score-999999999-deadbeef.tmp"  # no such process
    stale.write_text("half a report", encoding="utf-8")
    write_output(str(tmp_path / "out.txt"), "whole")
    assert not stale.exists() and (tmp_path / "out.txt").read_text(encoding="utf-8") == "whole"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_the_write_leaves_nothing_behind(tmp_path, signum):
    script = textwrap.dedent(f"""
        import os, signal, time
        from cchc.cli import signals
        from cchc.cli import output
        signals.install()
        real_replace = os.replace
        def slow_replace(a, b):
            os.kill(os.getpid(), {int(signum)})
            time.sleep(5)
            real_replace(a, b)
        os.replace = slow_replace
        output.write_output({str(tmp_path / 'out.txt')!r}, "x" * 100000)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 128 + signum, result.stderr
    assert "Traceback" not in result.stderr and "đã dừng" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_at_start_up_exits_130_quietly(tmp_path):
    process = subprocess.Popen([sys.executable, "-c",
                                "from cchc.cli.entry import main; import sys; "
                                "sys.argv = ['cchc-score', '--help']; import os, signal; "
                                "from cchc.cli import signals; signals.install(); "
                                "os.kill(os.getpid(), signal.SIGINT)"],
                               stderr=subprocess.PIPE, text=True)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in err


def test_a_full_disk_behind_stdout_and_a_closed_pipe(tmp_path):
    command = [sys.executable, "-c", "from cchc.cli.entry import main; main()", str(PHUONG5)]
    with open("/dev/full", "w") as full:
        result = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True,
                                timeout=60)
    assert result.returncode == 2 and "No space left" in result.stderr
    assert "Traceback" not in result.stderr
    piped = subprocess.Popen([*command, "--explain"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert piped.stdout is not None
    piped.stdout.read(10)
    piped.stdout.close()  # `| head`: the reader goes away
    _, err = piped.communicate(timeout=60)
    assert piped.returncode == 0 and b"Traceback" not in err


def test_an_unclosed_string_of_backslashes_is_linear(runner, tmp_path):
    """The quick bracket count strips strings with a pattern; backslashes without an escaped
    quote keep it linear (an escaped quote sends the file to the exact pass)."""
    _run(runner, [_facts(tmp_path, '["' + '\\\\' * 160_000 + ' "' * 1000)], 2)
