"""The `cchc-score` command: parse options, call the library, render, write. No scoring here.

    cchc-score FACTS.json [--lang vi|en] [--explain] [--format table|json|markdown] [-o FILE]
    cchc-score rules      [--format table|json]   the pack's rules, thresholds and points
    cchc-score template   [-o FILE]               a facts file to fill in, every fact listed
    cchc-score schema                             the facts file's JSON Schema
    cchc-score packs                              the rule packs shipped with this version

Exit status: 0 scored, 2 bad input or usage, 3 bad rule pack, 1 internal error (a bug: a short
message, the traceback only with --debug). Output files are written whole or not at all; the
facts file is only ever read.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cchc.engine.api import Scorer, tool_version
from cchc.engine.errors import EXIT_INTERNAL, CchcError, input_error
from cchc.engine.facts import load_facts
from cchc.engine.pack import Pack, resolve_pack
from cchc.engine.render import render
from cchc.engine.templates import facts_schema, facts_template, rules_listing, rules_table
from cchc.rules import shipped_packs


class _DefaultToScore(click.Group):
    """`cchc-score FACTS …` means `cchc-score score FACTS …`.

    Anything that does not start with a command name (or --help / --version) goes to `score`, so
    leading options work too (`cchc-score --lang en FACTS`); click-default-group would parse them
    as group options and fail. A subcommand's options come after its name.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h",
                                                                     "--version"):
            args = ["score", *args]
        return super().parse_args(ctx, args)


def _write(output: str | None, text: str, inputs: tuple[Path, ...] = ()) -> None:
    """Print `text`, or write it to `output` atomically (a temp file renamed into place)."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    target = Path(output)
    for source in inputs:
        if target.exists() and source.exists() and target.resolve() == source.resolve():
            raise input_error(output, "--output", "tệp kết quả trùng với tệp dữ kiện đầu vào",
                              "the output file is the input facts file",
                              "một tệp khác; tệp đầu vào không bao giờ bị ghi đè",
                              "another file; input files are never overwritten")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise input_error(output, "--output", "thư mục của tệp kết quả không tồn tại",
                          "the output file's folder does not exist", "một thư mục có sẵn",
                          "an existing folder")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _report_error(error: CchcError) -> None:
    click.echo(f"cchc-score: {error.title_vi} / {error.title_en}", err=True)
    click.echo(f"  Tệp / file: {error.file}", err=True)
    for problem in error.problems:
        click.echo(f"  • {problem.where}", err=True)
        click.echo(f"      {problem.vi}", err=True)
        click.echo(f"      {problem.en}", err=True)
        if problem.expected_vi or problem.expected_en:
            click.echo(f"      Cần / expected: {problem.expected_vi} / {problem.expected_en}",
                       err=True)


def _guard(command: Callable[..., None]) -> Callable[..., None]:
    """Run a command; report CchcErrors plainly and anything else as an internal error."""

    def wrapper(*args: Any, debug: bool = False, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except CchcError as error:
            _report_error(error)
            if debug:
                traceback.print_exc()
            sys.exit(error.exit_status)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # a bug: say so briefly, show the traceback on request
            click.echo(f"cchc-score: Lỗi nội bộ / Internal error: {type(error).__name__}: {error}",
                       err=True)
            if debug:
                traceback.print_exc()
            else:
                click.echo("  Chạy lại với --debug để xem chi tiết / rerun with --debug for "
                           "details", err=True)
            sys.exit(EXIT_INTERNAL)

    wrapper.__name__ = command.__name__
    wrapper.__doc__ = command.__doc__
    return wrapper


_pack_option = click.option(
    "--pack", "pack_option", metavar="ID|DIR",
    help="Gói quy tắc: mã (xem `cchc-score packs`) hoặc thư mục. Mặc định: theo tệp dữ kiện / "
         "Rule pack id or folder; default: the one the facts file names, or its year's.")
_debug_option = click.option("--debug", is_flag=True,
                             help="In traceback khi có lỗi / print tracebacks on errors.")
_output_option = click.option("-o", "--output", metavar="FILE",
                              help="Ghi ra tệp (ghi trọn vẹn hoặc không ghi) / write to FILE "
                                   "(whole or not at all).")
_lang_option = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi",
                            show_default=True, help="Ngôn ngữ / language.")


@click.group(cls=_DefaultToScore, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(tool_version(), "--version", prog_name="cchc-score")
def cli() -> None:
    """Chấm điểm tự đánh giá thực hiện kế hoạch CCHC của phường, xã.
    Self-assessment scoring of a ward's administrative-reform (CCHC) plan.

    \b
    Dùng / usage:  cchc-score FACTS.json [--explain] [--lang en] [--format json]
    """


@cli.command("score")
@click.argument("facts", type=click.Path(path_type=Path, dir_okay=True, exists=False))
@_pack_option
@_lang_option
@click.option("--explain", is_flag=True,
              help="Giải thích từng tiêu chí: dữ kiện, minh chứng, phép thử, cách hiểu, trích dẫn "
                   "/ explain every rule.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "markdown"]),
              default="table", show_default=True, help="Định dạng / output format.")
@_output_option
@_debug_option
@_guard
def score_command(facts: Path, pack_option: str | None, lang: str, explain: bool,
                  output_format: str, output: str | None) -> None:
    """Chấm điểm một tệp dữ kiện / score one facts file."""
    chosen: dict[str, Pack] = {}

    def pack_for(named: str | None, year: int) -> Pack:
        chosen["pack"] = resolve_pack(pack_option, named, year, str(facts))
        return chosen["pack"]

    ward = load_facts(facts, pack_for, str(facts))
    report = Scorer(chosen["pack"]).score(ward)
    if output_format == "json":
        text = report.to_json()
    else:
        text = render(report, lang, explain, markdown=output_format == "markdown")
    _write(output, text, (facts,))


def _pack(pack_option: str | None) -> Pack:
    return resolve_pack(pack_option, None, None)


@cli.command("rules")
@_pack_option
@_lang_option
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True, help="Định dạng / output format.")
@_output_option
@_debug_option
@_guard
def rules_command(pack_option: str | None, lang: str, output_format: str,
                  output: str | None) -> None:
    """Liệt kê các quy tắc của gói / list the pack's rules."""
    pack = _pack(pack_option)
    if output_format == "json":
        text = json.dumps(rules_listing(pack), ensure_ascii=False, indent=2) + "\n"
    else:
        text = rules_table(pack, lang)
    _write(output, text)


@cli.command("template")
@_pack_option
@_output_option
@_debug_option
@_guard
def template_command(pack_option: str | None, output: str | None) -> None:
    """Tạo tệp dữ kiện mẫu để điền / write a facts file to fill in."""
    pack = _pack(pack_option)
    text = json.dumps(facts_template(pack), ensure_ascii=False, indent=2) + "\n"
    _write(output, text)


@cli.command("schema")
@_pack_option
@_output_option
@_debug_option
@_guard
def schema_command(pack_option: str | None, output: str | None) -> None:
    """In JSON Schema của tệp dữ kiện / print the facts file's JSON Schema."""
    pack = _pack(pack_option)
    _write(output, json.dumps(facts_schema(pack), ensure_ascii=False, indent=2) + "\n")


@cli.command("packs")
@_debug_option
@_guard
def packs_command() -> None:
    """Liệt kê các gói quy tắc / list the shipped rule packs."""
    rows = []
    for name in shipped_packs():
        pack = resolve_pack(name, None, None)
        rows.append(f"{name}\t{pack.meta.year}\t{pack.meta.version}\t{pack.meta.title.vi}")
    click.echo("\n".join(rows))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="cchc-score")

if __name__ == "__main__":
    main()
