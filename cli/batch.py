"""`cchc-score batch FILES|DIR …`: score every ward of a city and rank them.

    cchc-score batch wards/ [--appraisal-dir DIR] [--format table|json|csv] [-o FILE] [--jobs N]
                            [--pack ID|DIR]

Arguments are facts files and folders (a folder: its `*.json` files, not its subfolders, not
`*.appraisal.json`, sorted by name); a file named twice is scored once. Files are scored in
worker processes (`cchc.scoring.batch`), aggregated as they arrive (`cchc.scoring.ranking`)
and rendered by `cchc.reports.batch_report`. A file that cannot be scored is reported by name
with its error and skipped; every other ward is still ranked and the output still written.
With `--appraisal-dir`, a ward whose appraisal file (`NAME.appraisal.json`) is there is also
ranked by its appraised index; a broken appraisal fails that ward like a broken facts file.

Exit status: 0 every file scored; 2 some file had an input error (or a usage error); 3 a broken
rule pack; 1 an internal error in some file (a bug). The progress bar goes to stderr, and only
when stderr is a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from cchc.cli.options import guard, opt_debug, opt_output, opt_packs_dir
from cchc.cli.output import format_for, require_suffix, write_output
from cchc.engine.errors import usage_error
from cchc.engine.pack.load import resolve_pack
from cchc.reports.batch_report import render_batch_csv, render_batch_json, render_batch_table
from cchc.scoring.batch import BatchItem, pack_files, score_files
from cchc.scoring.ranking import Aggregator, BatchSummary

SUFFIXES = {".csv": "csv"}  # beyond .json (json) and .txt (table)
APPRAISAL_SUFFIX = ".appraisal.json"


def facts_files(arguments: Iterable[Path]) -> list[Path]:
    """The facts files the arguments name: a file as given; a folder's `*.json` files (not
    hidden, not `*.appraisal.json`, not in subfolders) sorted by name. A file named twice is
    kept once, where it first comes."""
    found: list[Path] = []
    for argument in arguments:
        if str(argument) == "-":
            raise usage_error("FILES", "lệnh batch không đọc dữ kiện từ đầu vào chuẩn (-)",
                              "batch does not read facts from standard input (-)",
                              "tên tệp hoặc thư mục", "file or folder names")
        if argument.is_dir():
            found += sorted((path for path in argument.glob("*.json")
                             if not path.name.startswith(".")
                             and not path.name.endswith(APPRAISAL_SUFFIX) and path.is_file()),
                            key=lambda path: path.name)
        else:
            found.append(argument)
    seen: set[str] = set()
    unique = []
    for path in found:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def appraisal_items(files: list[Path], folder: Path | None) -> list[BatchItem]:
    """Each facts file with the city's appraisal of it, if `folder` holds one
    (`NAME.appraisal.json` beside `NAME.json`'s name); a missing folder is a usage error."""
    if folder is None:
        return [(path, None) for path in files]
    if not folder.is_dir():
        raise usage_error(f"--appraisal-dir {folder}", "không có thư mục này",
                          "no such folder", "thư mục chứa các tệp TÊN.appraisal.json",
                          "a folder holding NAME.appraisal.json files")
    items: list[BatchItem] = []
    for path in files:
        appraisal = folder / (path.name[:-len(".json")] + APPRAISAL_SUFFIX) \
            if path.name.endswith(".json") else None
        items.append((path, appraisal if appraisal is not None and appraisal.is_file()
                      else None))
    used = {appraisal.name for _, appraisal in items if appraisal is not None}
    unmatched = sorted(path.name for path in folder.glob("*" + APPRAISAL_SUFFIX)
                       if path.name not in used)
    if unmatched:  # a misspelt name must not pass for a ward the city has not appraised
        click.echo(f"cchc-score: {len(unmatched)} tệp thẩm định không khớp với tệp dữ kiện nào "
                   f"(cần TÊN.appraisal.json cho TÊN.json) / appraisal files matching no facts "
                   f"file (NAME.appraisal.json for NAME.json): " + ", ".join(unmatched),
                   err=True)
    return items


def _check_output_early(output: str | None, inputs: list[Path]) -> None:
    """Refuse, before any scoring, an output file that is one of the inputs or lies in a folder
    that does not exist (`write_output` checks everything again when it writes)."""
    if output is None or output == "-":
        return
    target = Path(output)
    try:
        if not target.parent.is_dir():
            raise usage_error(f"-o {output}", "thư mục của tệp kết quả không tồn tại",
                              "the output file's folder does not exist", "một thư mục có sẵn",
                              "an existing folder")
        if not target.exists():
            return
        resolved = os.path.realpath(target)
    except (OSError, ValueError):
        return  # write_output words what is wrong with the name
    for source in inputs:
        if os.path.realpath(source) == resolved:
            raise usage_error(f"-o {output}", "tệp kết quả trùng với một tệp đầu vào của lần "
                              f"chạy này ({source})", "the output file is an input of this run "
                              f"({source})", "một tệp khác; tệp đầu vào (dữ kiện, gói quy tắc) "
                              "không bao giờ bị ghi đè", "another file; inputs (facts, rule "
                              "pack) are never overwritten")


def _run(items: list[BatchItem], pack_option: str | None, packs_dir: str | None, jobs: int,
         debug: bool) -> BatchSummary:
    aggregator = Aggregator()
    results = score_files(items, pack_option, packs_dir, jobs=jobs, debug=debug)
    if sys.stderr.isatty():
        with click.progressbar(length=len(items), label="Đang chấm / scoring",
                               file=sys.stderr) as bar:
            for result in results:
                aggregator.add(result)
                bar.update(1)
    else:
        for result in results:
            aggregator.add(result)
    return aggregator.finish()


@click.command("batch", short_help="Chấm, xếp hạng nhiều phường / score and rank many wards")
@click.argument("inputs", nargs=-1, required=True, metavar="FILES|DIR...",
                type=click.Path(path_type=Path))
@click.option("--pack", "pack_option", metavar="ID|DIR",
              help="Gói quy tắc cho mọi tệp: mã hoặc thư mục. Mặc định: theo từng tệp dữ kiện / "
                   "Rule pack id or folder for every file; default: the one each facts file "
                   "names, or its year's.")
@opt_packs_dir
@click.option("--appraisal-dir", "appraisal_dir", metavar="DIR",
              type=click.Path(path_type=Path, file_okay=False),
              help="Thư mục các tệp thẩm định của thành phố: TÊN.appraisal.json cho TÊN.json / "
                   "the folder of the city's appraisal files: NAME.appraisal.json for "
                   "NAME.json; a ward without one is ranked on its self-assessment.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]),
              help="Định dạng / output format: table (mặc định / default), json, csv (bảng xếp "
                   "hạng, cho Excel / the ranking, for Excel); với -o, theo đuôi tệp (.txt, "
                   ".json, .csv) / with -o, from the file's extension.")
@opt_output
@click.option("--jobs", "jobs", type=click.IntRange(min=1), metavar="N",
              help="Số tiến trình chấm song song (mặc định: số CPU) / scoring processes "
                   "(default: the number of CPUs).")
@opt_debug
@guard
def batch_command(inputs: tuple[Path, ...], pack_option: str | None, packs_dir: str | None,
                  appraisal_dir: Path | None, output_format: str | None, output: str | None,
                  jobs: int | None, debug: bool = False) -> None:
    """Chấm và xếp hạng nhiều phường / score and rank many wards.

    FILES|DIR: tệp dữ kiện và thư mục (mọi tệp *.json trong thư mục, trừ *.appraisal.json) /
    facts files and folders (every *.json file in a folder, except *.appraisal.json).
    """
    require_suffix(output, (".txt", ".json", ".csv"),
                   ("bảng, JSON hoặc CSV", "a table, JSON or CSV"))
    chosen = format_for(output, output_format, "table", SUFFIXES)
    files = facts_files(inputs)
    if not files:
        raise usage_error("FILES|DIR", "không có tệp dữ kiện nào (*.json) để chấm",
                          "no facts files (*.json) to score",
                          "tệp dữ kiện, hoặc thư mục chứa các tệp *.json",
                          "facts files, or a folder holding *.json files")
    protected = list(files)
    if pack_option:  # a wrong --pack is one usage error, not one per file
        protected += [Path(name) for name in
                      pack_files(resolve_pack(pack_option, None, None, packs_dir=packs_dir))]
    items = appraisal_items(files, appraisal_dir)
    protected += [appraisal for _, appraisal in items if appraisal is not None]
    _check_output_early(output, protected)
    summary = _run(items, pack_option, packs_dir, jobs or os.cpu_count() or 1, debug)
    text: str | Iterator[str]
    if chosen == "json":
        text = render_batch_json(summary)
    elif chosen == "csv":
        text = render_batch_csv(summary)
    else:
        text = render_batch_table(summary)
    protected += [Path(name) for item in summary.packs for name in item.pack.files]
    write_output(output, text, protected)
    if summary.failures:
        if not (chosen == "table" and output in (None, "-")):  # else already on the screen
            for failure in summary.failures:
                click.echo(failure.message + "\n", err=True)
        click.echo(f"cchc-score: {len(summary.failures)} / {summary.files} tệp không chấm được "
                   f"/ files not scored", err=True)
        sys.exit(summary.exit_status)
