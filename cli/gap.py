"""`cchc-score gap FACTS`: the gap to the next band (or `--target BAND`) — per rule not fully
met, the smallest change of the facts that meets it; then the fewest changes that lift the
self-assessment index to the target band, cheapest first, each with the `--set fact=value` that
makes it.

    cchc-score gap FACTS [--target BAND] [--set fact=value …] [--format table|json]
                         [--lang vi|en] [-o FILE] [--pack ID|DIR] [--packs-dir DIR]

`--set` first turns the file into a what-if (as it does for a scoring run; the file is never
changed), and the gap is the what-if's. Exit status: 0 (whether or not the target can be
reached: read `reachable`), 2 bad input or usage (an unknown band, a refused `--set`), 3 a
broken pack, 1 an internal error.
"""

from __future__ import annotations

from pathlib import Path

import click

from cchc.cli.options import (
    guard,
    opt_debug,
    opt_lang,
    opt_output,
    opt_pack,
    opt_packs_dir,
    opt_set,
    opt_table_or_json,
    settings_edit,
)
from cchc.cli.output import format_for, require_suffix, write_output
from cchc.engine.inputs import load_facts
from cchc.reports.gap_text import render_gap, render_gap_json
from cchc.reports.text import render_warnings
from cchc.scoring.batch import pack_files
from cchc.scoring.gap import find_gap
from cchc.scoring.score import Scorer


@click.command("gap", short_help="Cần thay đổi gì để lên hạng / the gap to the next band")
@click.argument("facts", type=click.Path(path_type=Path, exists=False))
@click.option("--target", metavar="BAND",
              help="Xếp loại mục tiêu: mã hoặc tên (tiếng Việt hay tiếng Anh, không phân biệt hoa "
                   "thường, dấu) một xếp loại của gói — gói phuong5-2024: xuat_sac (Xuất sắc / "
                   "Excellent), tot (Tốt / Good), kha (Khá / Fair), trung_binh (Trung bình / "
                   "Average), yeu (Yếu / Weak); mặc định: xếp loại ngay trên xếp loại hiện tại "
                   "/ the target band: the id or the name (Vietnamese or English, any case, "
                   "with or without accents) of a band of the pack (the choices are listed "
                   "when another is given); default: the band above the ward's.")
@opt_set
@opt_pack
@opt_packs_dir
@opt_lang
@opt_table_or_json
@opt_output
@opt_debug
@guard
def gap_command(facts: Path, target: str | None, settings: tuple[tuple[str, str], ...],
                pack_option: str | None, packs_dir: str | None, lang: str,
                output_format: str | None, output: str | None) -> None:
    """Khoảng cách đến xếp loại tiếp theo: thay đổi nhỏ nhất cho từng tiêu chí, và ít thay đổi
    nhất để đạt xếp loại mục tiêu / the gap to the next band: the smallest change per rule, and
    the fewest changes that reach the target band."""
    require_suffix(output, (".json", ".txt"), ("bảng hoặc JSON", "a table or JSON"))
    output_format = format_for(output, output_format, "table")
    document, pack, ward = load_facts(facts, pack_option, packs_dir=packs_dir,
                                      edit=settings_edit(settings))
    result = find_gap(document, pack, target, Scorer(pack), ward)
    if output_format == "json":
        text = render_gap_json(result, settings)
    else:
        text = render_gap(result, lang, settings)
    write_output(output, text, (facts, *(Path(name) for name in pack_files(pack))))
    if ward.warnings:
        click.echo(render_warnings(ward.warnings), err=True, nl=False)
