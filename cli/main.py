"""The `cchc-score` command: parse options, call the library, render, write. No scoring here.

    cchc-score FACTS.json [--lang vi|en] [--explain] [--format table|json|markdown|scorecard]
                          [-o FILE]
    cchc-score rules      [--format table|json]   the pack's rules, thresholds and points
    cchc-score template   [-o FILE]               a facts file to fill in, every fact listed
    cchc-score schema                             the facts file's JSON Schema
    cchc-score packs                              the rule packs shipped with this version
    cchc-score test PACK  [--fail-under N]        run a pack's own YAML tests, with coverage

Exit status: 0 scored, 2 bad input or usage, 3 bad rule pack, 4 pack tests failed, 1 internal
error (a bug: a short message, the traceback only with --debug). Output files are written whole
or not at all; the facts file is only ever read.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import click

from cchc.cli.output import format_for, require_suffix, write_output
from cchc.engine.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_TESTS_FAILED, CchcError
from cchc.engine.inputs import load_ward
from cchc.engine.pack.load import resolve_pack
from cchc.engine.pack.model import Pack
from cchc.engine.publish import facts_schema, facts_template, rules_listing
from cchc.reports.json_report import render_json
from cchc.reports.packtest_text import render_pack_tests
from cchc.reports.rules_table import rules_table
from cchc.reports.scorecard import render_scorecard
from cchc.reports.text import render, render_warnings
from cchc.rules import shipped_packs
from cchc.scoring.packtest import run_pack_tests
from cchc.scoring.score import Scorer, tool_version


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


def pack_files(pack: Pack) -> list[Path]:
    """The files of a pack read from a folder (outputs never overwrite them)."""
    if pack.shipped and not Path(pack.location).is_dir():
        return []
    return [Path(pack.location, *relative.split("/")) for relative in pack.file_hashes]


def _guard(command: Callable[..., None]) -> Callable[..., None]:
    """Run a command; report CchcErrors plainly and anything else as an internal error."""

    @functools.wraps(command)
    def wrapper(*args: Any, debug: bool = False, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except CchcError as error:
            click.echo(error.describe(), err=True)
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
@click.option("--format", "output_format",
              type=click.Choice(["table", "json", "markdown", "scorecard"]),
              help="Định dạng / output format: table (mặc định / default), json, markdown, "
                   "scorecard (một dòng mỗi tiêu chí / a line per rule); với -o, theo đuôi tệp "
                   "(.json, .md) / with -o, from the file's extension.")
@_output_option
@click.option("--strict", is_flag=True,
              help="Coi cảnh báo là lỗi: có cảnh báo thì không ghi kết quả, thoát với mã 2 / "
                   "treat warnings as errors: exit status 2, no report written.")
@_debug_option
@_guard
def score_command(facts: Path, pack_option: str | None, lang: str, explain: bool,
                  output_format: str | None, output: str | None, strict: bool) -> None:
    """Chấm điểm một tệp dữ kiện / score one facts file."""
    output_format = format_for(output, output_format, "table")
    pack, ward = load_ward(facts, pack_option)
    report = Scorer(pack).score(ward)
    if strict and report.warnings:
        click.echo(render_warnings(report.warnings), err=True, nl=False)
        click.echo("cchc-score: --strict: có cảnh báo nên không ghi kết quả / warnings found, "
                   "no report written", err=True)
        sys.exit(EXIT_INPUT)
    if output_format == "json":
        text = render_json(report)
    elif output_format == "scorecard":
        text = render_scorecard(report, lang)
    else:
        text = render(report, lang, explain, markdown=output_format == "markdown")
    write_output(output, text, (facts, *pack_files(pack)))
    if report.warnings:
        click.echo(render_warnings(report.warnings), err=True, nl=False)


@cli.command("rules")
@_pack_option
@_lang_option
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              help="Định dạng / output format: table (mặc định / default) hoặc / or json; với "
                   "-o, theo đuôi tệp / with -o, from the file's extension.")
@_output_option
@_debug_option
@_guard
def rules_command(pack_option: str | None, lang: str, output_format: str | None,
                  output: str | None) -> None:
    """Liệt kê các quy tắc của gói / list the pack's rules."""
    require_suffix(output, (".json", ".txt"), "bảng hoặc JSON / a table or JSON")
    output_format = format_for(output, output_format, "table")
    pack = resolve_pack(pack_option, None, None)
    if output_format == "json":
        text = json.dumps(rules_listing(pack), ensure_ascii=False, indent=2) + "\n"
    else:
        text = rules_table(pack, lang)
    write_output(output, text, pack_files(pack))


@cli.command("template")
@_pack_option
@_output_option
@click.option("--force", is_flag=True,
              help="Ghi đè tệp đã có / overwrite an existing file (a filled-in one is lost).")
@_debug_option
@_guard
def template_command(pack_option: str | None, output: str | None, force: bool) -> None:
    """Tạo tệp dữ kiện mẫu để điền / write a facts file to fill in."""
    require_suffix(output, (".json",), "JSON")
    pack = resolve_pack(pack_option, None, None)
    text = json.dumps(facts_template(pack), ensure_ascii=False, indent=2) + "\n"
    write_output(output, text, pack_files(pack), overwrite=force)


@cli.command("schema")
@_pack_option
@_output_option
@_debug_option
@_guard
def schema_command(pack_option: str | None, output: str | None) -> None:
    """In JSON Schema của tệp dữ kiện / print the facts file's JSON Schema."""
    require_suffix(output, (".json",), "JSON")
    pack = resolve_pack(pack_option, None, None)
    write_output(output, json.dumps(facts_schema(pack), ensure_ascii=False, indent=2) + "\n",
                 pack_files(pack))


@cli.command("test")
@click.argument("pack_name", metavar="PACK")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=100.0, show_default=True,
              help="Độ phủ nhánh tối thiểu (%) / the least branch coverage (%) that passes.")
@_lang_option
@_output_option
@_debug_option
@_guard
def test_command(pack_name: str, fail_under: float, lang: str, output: str | None) -> None:
    """Chạy các trường hợp kiểm thử của gói / run a pack's own tests (tests/*.yaml)."""
    require_suffix(output, (".txt",), "văn bản / text")
    pack = resolve_pack(pack_name, None, None, option_name="PACK")
    result = run_pack_tests(pack)
    methods = {rule.id: rule.scoring.method for rule in pack.rules}
    write_output(output, render_pack_tests(result, methods, lang), pack_files(pack))
    if not result.passed or result.percent < Fraction(str(fail_under)):
        sys.exit(EXIT_TESTS_FAILED)


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


def _usage_vi(error: click.UsageError) -> str:
    """The usage error in Vietnamese (click words its messages in English)."""
    if isinstance(error, click.MissingParameter):
        name = error.param.human_readable_name if error.param else ""
        return f"thiếu {name}" + (" (đường dẫn tệp dữ kiện)" if name == "FACTS" else "")
    if isinstance(error, click.NoSuchOption):
        return f"không có tùy chọn {error.option_name}"
    if isinstance(error, click.BadParameter):
        name = error.param.get_error_hint(error.ctx) if error.param and error.ctx else ""
        return f"giá trị không hợp lệ cho {name}".rstrip()
    return "cách gọi lệnh không đúng"


def main() -> None:
    """Console-script entry point; usage errors are reported in Vietnamese and English."""
    try:
        cli.main(prog_name="cchc-score", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help() if error.ctx else str(error))
        sys.exit(EXIT_INPUT)
    except click.UsageError as error:
        click.echo(f"cchc-score: Lỗi dòng lệnh / usage error: {_usage_vi(error)}", err=True)
        click.echo(f"  {error.format_message()}", err=True)
        command = error.ctx.command_path if error.ctx else "cchc-score"
        click.echo(f"  Xem / see: {command} --help", err=True)
        sys.exit(EXIT_INPUT)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.Abort:
        click.echo("cchc-score: đã dừng / aborted", err=True)
        sys.exit(EXIT_INTERNAL)

if __name__ == "__main__":
    main()
