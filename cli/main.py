"""The `cchc-score` command: parse options, call the library, render, write. No scoring here.

    cchc-score FACTS.json [--lang vi|en] [--explain] [--format table|json|markdown|scorecard]
                          [-o FILE]
    cchc-score rules      [--format table|json]   the pack's rules, thresholds and points
    cchc-score template   [-o FILE]               a facts file to fill in, every fact listed
    cchc-score FACTS --appraisal FILE             … with the city's appraisal, round by round
    cchc-score schema     [--appraisal]           the facts (or appraisal) file's JSON Schema
    cchc-score appraisal-template FACTS [--appraisal FILE] -o NEW   start one, or its next round
    cchc-score verify FACTS --appraisal FILE      check the appraisal record's chain of hashes
    cchc-score packs      [--format table|json]   every rule pack found, and where
    cchc-score test PACK  [--fail-under N]        run a pack's own YAML tests, with coverage
    cchc-score diff PACK_A PACK_B [--format table|json] [-o FILE]   what changed between packs
    cchc-score batch FILES|DIR [--format table|json|csv] [-o FILE] [--jobs N]   rank many wards

Every command that reads a pack takes `--packs-dir DIR`, searched for pack ids first (then
$CCHC_SCORE_PACKS, the user folder, the shipped packs: `cchc.engine.pack.discover`).

Exit status: 0 scored, 2 bad input or usage, 3 bad rule pack, 4 pack tests failed, 1 internal
error (a bug: a short message, the traceback only with --debug). Output files are written whole
or not at all; the facts file is only ever read.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import click

from cchc.cli.options import (
    guard,
    opt_appraisal,
    opt_debug,
    opt_lang,
    opt_output,
    opt_pack,
    opt_packs_dir,
    opt_set,
    opt_table_or_json,
    opt_table_or_json_listing,
    settings_edit,
)
from cchc.cli.output import format_for, require_suffix, write_output
from cchc.engine.errors import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_TESTS_FAILED,
    CchcError,
    usage_error,
)
from cchc.engine.inputs import load_ward
from cchc.engine.pack.load import resolve_pack
from cchc.engine.pack.model import Pack
from cchc.engine.version import tool_version
from cchc.reports.json_report import render_json
from cchc.reports.scorecard import render_scorecard
from cchc.reports.text import render, render_warnings
from cchc.scoring.score import Scorer

if TYPE_CHECKING:
    from cchc.engine.pack.discover import FoundPack
    from cchc.scoring.appraisal import Appraisal
    from cchc.scoring.report import Report

# What a plain `cchc-score FACTS` run needs is imported above; each other command imports
# what only it uses when it runs (and `batch` is loaded when named: `_DefaultToScore`), so
# the common run starts quickly. None of these imports hides a cycle (tests/test_architecture).


class _DefaultToScore(click.Group):
    """`cchc-score FACTS …` means `cchc-score score FACTS …`.

    Anything that does not start with a command name (or --help / --version) goes to `score`, so
    leading options work too (`cchc-score --lang en FACTS`); click-default-group would parse them
    as group options and fail. A subcommand's options come after its name.
    """

    lazy: ClassVar[dict[str, tuple[str, str]]] = {
        "batch": ("cchc.cli.batch", "batch_command"),  # loaded only when named
        "gap": ("cchc.cli.gap", "gap_command")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, name = self.lazy[cmd_name]
            command = getattr(importlib.import_module(module), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in self.lazy \
                and args[0] not in ("--help", "-h",
                                                                     "--version"):
            args = ["score", *args]
        return super().parse_args(ctx, args)


def pack_files(pack: Pack) -> list[Path]:
    """The files of a pack read from a folder (outputs never overwrite them)."""
    if pack.shipped and not Path(pack.location).is_dir():
        return []
    return [Path(pack.location, *relative.split("/")) for relative in pack.file_hashes]


@click.group(cls=_DefaultToScore, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(tool_version(), "--version", prog_name="cchc-score")
def cli() -> None:
    """Chấm điểm tự đánh giá thực hiện kế hoạch CCHC của phường, xã.
    Self-assessment scoring of a ward's administrative-reform (CCHC) plan.

    \b
    Dùng / usage:  cchc-score FACTS.json [--explain] [--lang en] [--format json]
    """


def _appraised(pack: Pack, scorer: Scorer, report: Report,
               appraisal_file: Path | None) -> Appraisal | None:
    """The city's appraisal of the report, read from `appraisal_file` (none without one)."""
    if appraisal_file is None:
        return None
    from cchc.engine.appraisal.read import read_appraisal
    from cchc.scoring.appraisal import Appraiser

    appraiser = Appraiser(pack, scorer.evaluator.compiled.branches.values())
    return appraiser.appraise(report, read_appraisal(appraisal_file))


# The office formats, by extension (`-o report.docx`); each renderer is imported when used.
OFFICE_SUFFIXES = {".html": "html", ".htm": "html", ".docx": "docx", ".xlsx": "xlsx"}


def _signing_day(text: str | None) -> dt.date | None:
    """`--date` as a day (15/03/2025 or 2025-03-15); refused with exit status 2 otherwise."""
    if text is None:
        return None
    from cchc.engine.dates import DateFormatError, parse_date

    try:
        return parse_date(text)
    except DateFormatError:
        raise usage_error(f"--date {text}", "không phải là một ngày", "not a date",
                          "ngày/tháng/năm, ví dụ 15/03/2025", "day/month/year, e.g. 15/03/2025"
                          ) from None


def _office(output_format: str, report: Report, lang: str, appraisal: Appraisal | None,
            signing: tuple[str | None, str | None, str | None, tuple[str, ...],
                           dt.date | None],
            pack: Pack) -> str | bytes:
    """The report as a printable page, the Word report or the scoring sheet."""
    if output_format == "html":
        from cchc.reports.html_report import render_html

        return render_html(report, lang, appraisal)
    if output_format == "xlsx":
        from cchc.reports.sheet_xlsx import render_sheet

        return render_sheet(report, lang, appraisal, pack=pack.meta)
    from cchc.reports.docx_report import Signer, render_docx

    name, title, number, recipients, day = signing
    defaults = Signer()
    signer = Signer(name=name, title=title or defaults.title, number=number,
                    recipients=recipients or defaults.recipients, on_behalf=defaults.on_behalf,
                    on=day)
    return render_docx(report, lang, appraisal, signer=signer)


@cli.command("score",
             short_help="Chấm điểm một tệp dữ kiện / score a facts file (.json, .xlsx)")
@click.argument("facts", type=click.Path(path_type=Path, dir_okay=True, exists=False))
@opt_appraisal
@opt_pack
@opt_packs_dir
@opt_lang
@click.option("--explain", is_flag=True,
              help="Giải thích từng tiêu chí: dữ kiện, minh chứng, phép thử, cách hiểu, trích dẫn "
                   "/ explain every rule.")
@click.option("--format", "output_format",
              type=click.Choice(["table", "json", "markdown", "scorecard", "html", "docx",
                                 "xlsx"]),
              help="Định dạng / output format: table (mặc định / default), json, markdown, "
                   "scorecard (một dòng mỗi tiêu chí / a line per rule), html (trang in được / "
                   "a printable page), docx (báo cáo Word / the Word report), xlsx (biểu chấm "
                   "điểm / the scoring sheet); với -o, theo đuôi tệp (.json, .md, .html, .docx, "
                   ".xlsx) / with -o, from the file's extension.")
@opt_output
@opt_set
@click.option("--signer", metavar="NAME", help="Báo cáo Word: họ tên người ký / the Word "
                                                "report's signer.")
@click.option("--signer-title", metavar="TITLE", help="Báo cáo Word: chức vụ người ký (mặc định "
                                                       "CHỦ TỊCH) / the signer's title.")
@click.option("--number", "document_number", metavar="SỐ", help="Báo cáo Word: số, ký hiệu "
                                                                 "(ví dụ 12/BC-UBND) / the "
                                                                 "report's number.")
@click.option("--recipient", "recipients", multiple=True, metavar="TEXT",
              help="Báo cáo Word: nơi nhận (lặp lại được; «Lưu: VT, VP» luôn có) / a "
                   "recipient (repeatable; the office copy is always filed).")
@click.option("--date", "signed_on", metavar="NGÀY",
              help="Báo cáo Word: ngày ký (mặc định: ngày lập, hoặc ngày vòng thẩm định cuối) "
                   "/ the day signed (default: prepared_on, or the last appraisal round's).")
@click.option("--strict", is_flag=True,
              help="Coi cảnh báo là lỗi: có cảnh báo thì không ghi kết quả, thoát với mã 2 / "
                   "treat warnings as errors: exit status 2, no report written.")
@opt_debug
@guard
def score_command(facts: Path, appraisal_file: Path | None, pack_option: str | None,
                  packs_dir: str | None, lang: str, explain: bool, output_format: str | None,
                  output: str | None, settings: tuple[tuple[str, str], ...],
                  signer: str | None, signer_title: str | None, document_number: str | None,
                  recipients: tuple[str, ...], signed_on: str | None, strict: bool) -> None:
    """Chấm điểm một tệp dữ kiện (.json hoặc .xlsx) / score one facts file (JSON or a facts
    workbook; with --appraisal: and the city's appraisal of it, round by round)."""
    output_format = format_for(output, output_format, "table", OFFICE_SUFFIXES)
    signing = (signer, signer_title, document_number, recipients, _signing_day(signed_on))
    if output_format != "docx" and any(signing):
        raise usage_error("--signer, --signer-title, --number, --recipient, --date",
                          "chỉ dùng cho báo cáo Word", "only for the Word report",
                          "-o TỆP.docx", "-o FILE.docx")
    pack, ward = load_ward(facts, pack_option, packs_dir=packs_dir,
                           edit=settings_edit(settings))
    scorer = Scorer(pack)
    report = scorer.score(ward)
    appraisal = _appraised(pack, scorer, report, appraisal_file)
    if strict and report.warnings:
        click.echo(render_warnings(report.warnings), err=True, nl=False)
        click.echo("cchc-score: --strict: có cảnh báo nên không ghi kết quả / warnings found, "
                   "no report written", err=True)
        sys.exit(EXIT_INPUT)
    text: str | bytes
    if settings:
        click.echo("Giả định / what-if: " + ", ".join(f"{fact}={value}" for fact, value
                                                      in settings)
                   + " (tệp không bị sửa / the file is unchanged)", err=True)
    if output_format in ("html", "docx", "xlsx"):
        text = _office(output_format, report, lang, appraisal, signing, pack)
    elif output_format == "json":
        text = render_json(report, appraisal)
    elif output_format == "scorecard":
        text = render_scorecard(report, lang, appraisal)
    else:
        text = render(report, lang, explain, markdown=output_format == "markdown",
                      appraisal=appraisal)
    inputs = (facts, *pack_files(pack), *([appraisal_file] if appraisal_file else []))
    write_output(output, text, inputs)
    if report.warnings:
        click.echo(render_warnings(report.warnings), err=True, nl=False)


@cli.command("rules",
             short_help="Các quy tắc của gói / the pack's rules")
@opt_pack
@opt_packs_dir
@opt_lang
@opt_table_or_json
@opt_output
@opt_debug
@guard
def rules_command(pack_option: str | None, packs_dir: str | None, lang: str,
                  output_format: str | None, output: str | None) -> None:
    """Liệt kê các quy tắc của gói / list the pack's rules."""
    from cchc.engine.publish import rules_listing
    from cchc.reports.rules_table import rules_table

    require_suffix(output, (".json", ".txt"), ("bảng hoặc JSON", "a table or JSON"))
    output_format = format_for(output, output_format, "table")
    pack = resolve_pack(pack_option, None, None, packs_dir=packs_dir)
    if output_format == "json":
        text = json.dumps(rules_listing(pack), ensure_ascii=False, indent=2) + "\n"
    else:
        text = rules_table(pack, lang)
    write_output(output, text, pack_files(pack))


@cli.command("template",
             short_help="Tệp dữ kiện mẫu (.json, .xlsx) / a facts file to fill in")
@opt_pack
@opt_packs_dir
@opt_output
@click.option("--force", is_flag=True,
              help="Ghi đè tệp đã có / overwrite an existing file (a filled-in one is lost).")
@opt_debug
@guard
def template_command(pack_option: str | None, packs_dir: str | None, output: str | None,
                     force: bool) -> None:
    """Tạo tệp dữ kiện mẫu để điền: JSON, hoặc bảng tính Excel với -o TỆP.xlsx / write a
    facts file to fill in: JSON, or an Excel workbook with -o FILE.xlsx."""
    require_suffix(output, (".json", ".xlsx"), ("JSON hoặc Excel", "JSON or Excel"))
    pack = resolve_pack(pack_option, None, None, packs_dir=packs_dir)
    text: str | bytes
    if output is not None and output.lower().endswith(".xlsx"):
        from cchc.engine.facts.workbook_write import facts_workbook

        text = facts_workbook(pack)
    else:
        from cchc.engine.publish import facts_template

        text = json.dumps(facts_template(pack), ensure_ascii=False, indent=2) + "\n"
    write_output(output, text, pack_files(pack), overwrite=force)


@cli.command("convert",
             short_help="Chuyển JSON ⇄ Excel / convert facts JSON ⇄ Excel")
@click.argument("source", metavar="IN", type=click.Path(path_type=Path, exists=False))
@click.option("-o", "--output", required=True, metavar="OUT",
              help="Tệp kết quả .json hoặc .xlsx / the file to write, .json or .xlsx.")
@opt_pack
@opt_packs_dir
@click.option("--force", is_flag=True,
              help="Ghi đè tệp đã có / overwrite an existing file.")
@opt_debug
@guard
def convert_command(source: Path, output: str, pack_option: str | None,
                    packs_dir: str | None, force: bool) -> None:
    """Chuyển tệp dữ kiện giữa JSON và Excel, không mất dữ liệu / convert a facts file
    between JSON and an Excel workbook, both ways, without loss.

    \b
    Tệp được kiểm tra như khi chấm điểm: tệp có lỗi không được chuyển.
    The file is checked as for scoring: a file with errors is not converted.
    """
    from cchc.engine.inputs import load_facts

    require_suffix(output, (".json", ".xlsx"), ("JSON hoặc Excel", "JSON or Excel"))
    if not output.lower().endswith((".json", ".xlsx")):
        raise usage_error(f"-o {output}", "cần tên tệp đuôi .json hoặc .xlsx",
                          "a file name ending in .json or .xlsx is needed", "ví dụ phuong.xlsx",
                          "e.g. ward.xlsx")
    document, pack, _ = load_facts(source, pack_option, packs_dir=packs_dir)
    text: str | bytes
    if output.lower().endswith(".xlsx"):
        from cchc.engine.facts.workbook_write import facts_workbook

        try:
            text = facts_workbook(pack, document.content.model_dump())
        except CchcError as error:
            error.file = document.name
            raise
    else:
        from cchc.engine.facts.write_json import facts_json

        text = facts_json(document.content)
    write_output(output, text, (source, *pack_files(pack)), overwrite=force)
    click.echo(f"Đã ghi / written: {output}", err=True)


@cli.command("schema",
             short_help="JSON Schema của tệp / the files' JSON Schema")
@opt_pack
@opt_packs_dir
@click.option("--appraisal", "of_appraisal", is_flag=True,
              help="JSON Schema của tệp thẩm định / the appraisal file's JSON Schema.")
@opt_output
@click.option("--force", is_flag=True,
              help="Ghi đè tệp đã có / overwrite an existing file.")
@opt_debug
@guard
def schema_command(pack_option: str | None, packs_dir: str | None, of_appraisal: bool,
                   output: str | None, force: bool) -> None:
    """In JSON Schema của tệp dữ kiện (hoặc tệp thẩm định) / print the facts file's (or, with
    --appraisal, the appraisal file's) JSON Schema."""
    from cchc.engine.appraisal.model import appraisal_schema
    from cchc.engine.publish import facts_schema

    require_suffix(output, (".json",), ("JSON", "JSON"))
    if of_appraisal:  # an existing .json may be a city's appraisal record: never replaced
        write_output(output, json.dumps(appraisal_schema(), ensure_ascii=False, indent=2)
                     + "\n", overwrite=force)
        return
    pack = resolve_pack(pack_option, None, None, packs_dir=packs_dir)
    write_output(output, json.dumps(facts_schema(pack), ensure_ascii=False, indent=2) + "\n",
                 pack_files(pack), overwrite=force)


@cli.command("appraisal-template",
             short_help="Hồ sơ thẩm định, vòng mới / start an appraisal, or its next round")
@click.argument("facts", type=click.Path(path_type=Path, exists=False))
@click.option("--appraisal", "appraisal_file", type=click.Path(path_type=Path, exists=False),
              metavar="FILE", help="Tệp thẩm định đã có: thêm vòng tiếp theo (ghi ra tệp mới, "
                                   "không sửa tệp cũ) / an existing appraisal file: append "
                                   "the next round (written to a new file, the old one kept).")
@opt_pack
@opt_packs_dir
@opt_output
@opt_debug
@guard
def appraisal_template_command(facts: Path, appraisal_file: Path | None,
                               pack_option: str | None, packs_dir: str | None,
                               output: str | None) -> None:
    """Tạo tệp thẩm định (vòng 1) hoặc thêm vòng tiếp theo / start an appraisal file (round
    1), or its next round.

    \b
    Mã sha256 của tệp dữ kiện, của gói quy tắc và của vòng trước được điền sẵn; người thẩm
    định điền tên, ngày và quyết định cho từng tiêu chí được liệt kê.
    The hashes are filled in; the appraiser fills in name, date and a decision per rule listed.
    """
    from cchc.engine.appraisal.read import read_appraisal
    from cchc.scoring.appraisal import Appraiser
    from cchc.scoring.appraisal_template import appraisal_template, next_round

    require_suffix(output, (".json",), ("JSON", "JSON"))
    pack, ward = load_ward(facts, pack_option, packs_dir=packs_dir)
    scorer = Scorer(pack)
    report = scorer.score(ward)
    if appraisal_file is None:
        data = appraisal_template(report, pack)
        inputs: tuple[Path, ...] = (facts,)
    else:
        document = read_appraisal(appraisal_file)
        appraiser = Appraiser(pack, scorer.evaluator.compiled.branches.values())
        data = next_round(report, pack, document, appraiser.appraise(report, document))
        inputs = (facts, appraisal_file)
    text = json.dumps(data, ensure_ascii=False, indent=2, default=float) + "\n"
    target = Path(output) if output and output != "-" else None
    if target is not None and target.is_file() and not target.is_symlink() and not any(
            path.exists() and path.resolve() == target.resolve() for path in inputs):
        raise usage_error(f"-o {output}", "tệp đã có, không ghi đè (có thể là hồ sơ thẩm định "
                          "đã điền): một vòng mới luôn được ghi ra tệp mới",
                          "the file exists and is not overwritten (it may be a filled-in "
                          "appraisal): a new round is always written to a new file",
                          "một tên tệp mới, ví dụ tham-dinh-vong-2.json",
                          "a new file name, e.g. appraisal-round-2.json")
    write_output(output, text, (*inputs, *pack_files(pack)), overwrite=False)
    if target is not None:
        listed = len(data["rounds"][-1]["decisions"])
        click.echo(f"Đã ghi / written: {output} — vòng / round {len(data['rounds'])}: điền "
                   f"appraised_by, appraised_on và quyết định (accept, set, reject_evidence) cho "
                   f"{listed} tiêu chí, hoặc xóa mục không cần / fill in appraised_by, "
                   f"appraised_on and a decision for the {listed} rules listed, or remove an "
                   "entry", err=True)


@cli.command("verify",
             short_help="Kiểm tra chuỗi mã thẩm định / check the appraisal's hashes")
@click.argument("facts", type=click.Path(path_type=Path, exists=False))
@click.option("--appraisal", "appraisal_file", required=True,
              type=click.Path(path_type=Path, exists=False), metavar="FILE",
              help="Tệp thẩm định cần kiểm tra / the appraisal file to check.")
@click.option("--last-hash", "last_hash", metavar="SHA256",
              help="Mã vòng cuối ghi trong văn bản thẩm định: vòng cuối cũng được đối chiếu / "
                   "the last round's hash as the appraisal letter quotes it: the last round "
                   "is checked too.")
@opt_pack
@opt_packs_dir
@opt_table_or_json_listing
@opt_debug
@guard
def verify_command(facts: Path, appraisal_file: Path, last_hash: str | None,
                   pack_option: str | None, packs_dir: str | None,
                   output_format: str) -> None:
    """Kiểm tra chuỗi mã của hồ sơ thẩm định / check the appraisal record's chain of hashes.

    Exit status 0 when every link holds, 2 when one is broken (the first is named)."""
    from cchc.engine.appraisal.chain import check_chain
    from cchc.engine.appraisal.read import read_appraisal
    from cchc.engine.facts.read import read_facts
    from cchc.reports.chain_text import chain_data, render_chain

    document = read_appraisal(appraisal_file)
    facts_document = read_facts(facts)
    pack = resolve_pack(pack_option, facts_document.pack, facts_document.year,
                        facts_document.name, packs_dir=packs_dir)
    meta = pack.meta
    chain = check_chain(document, facts_document.sha256, meta.id, meta.version, pack.sha256,
                        last_hash)
    if output_format == "json":
        click.echo(json.dumps(chain_data(chain, document.name, facts_document.name),
                              ensure_ascii=False, indent=2))
    else:
        click.echo(render_chain(chain, document.name, facts_document.name), nl=False)
    if not chain.intact:
        sys.exit(EXIT_INPUT)


@cli.command("test",
             short_help="Chạy kiểm thử của gói / run a pack's own tests")
@click.argument("pack_name", metavar="PACK")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=100.0, show_default=True,
              help="Độ phủ nhánh tối thiểu (%) / the least branch coverage (%) that passes.")
@opt_packs_dir
@opt_lang
@opt_output
@opt_debug
@guard
def test_command(pack_name: str, fail_under: float, packs_dir: str | None, lang: str,
                 output: str | None) -> None:
    """Chạy các trường hợp kiểm thử của gói / run a pack's own tests (tests/*.yaml)."""
    from cchc.reports.packtest_text import render_pack_tests
    from cchc.scoring.packtest import run_pack_tests

    require_suffix(output, (".txt",), ("văn bản", "text"))
    pack = resolve_pack(pack_name, None, None, option_name="PACK", packs_dir=packs_dir)
    result = run_pack_tests(pack)
    methods = {rule.id: rule.scoring.method for rule in pack.rules}
    bound = Fraction(str(fail_under))
    write_output(output, render_pack_tests(result, methods, lang, bound), pack_files(pack))
    if not result.passed or result.percent < bound:
        sys.exit(EXIT_TESTS_FAILED)


def _source(item: FoundPack) -> str:
    from cchc.engine.pack.discover import SOURCE_LABELS

    vi, en = SOURCE_LABELS[item.source]
    return vi if vi == en else f"{vi} / {en}"


def _pack_note(item: FoundPack, found: list[FoundPack]) -> str:
    """What a person should know about a pack found: it hides or is hidden by another of its
    id, it shares its id with a folder beside it, or its pack.yaml cannot be read."""
    by_path = {other.path: other for other in found}
    if item.error is not None:
        problem = item.error.problems[0] if item.error.problems else None
        why = f"{problem.vi} / {problem.en}" if problem else ""
        return f"lỗi pack.yaml / broken pack.yaml: {why}".strip()
    notes = []
    if item.shadowed_by is not None:
        notes.append(f"bị che bởi / shadowed by: {_source(by_path[item.shadowed_by])}")
    if item.shadows:
        notes.append("che / shadows: " + ", ".join(_source(by_path[p]) for p in item.shadows))
    if item.twin is not None:
        notes.append(f"trùng mã với / same id as: {item.twin}")
    return "; ".join(notes)


def _found_json(item: FoundPack, found: list[FoundPack]) -> dict[str, Any]:
    meta = item.meta
    return {"id": item.id, "year": None if meta is None else meta.year,
            "version": None if meta is None else meta.version,
            "title": None if meta is None else {"vi": meta.title.vi, "en": meta.title.en},
            "source": item.source, "path": item.path, "active": item.active,
            "shadowed_by": item.shadowed_by, "shadows": list(item.shadows),
            "same_id_as": item.twin,
            "error": None if item.error is None else _pack_note(item, found)}


@cli.command("packs",
             short_help="Các gói quy tắc tìm thấy / the rule packs found")
@opt_packs_dir
@opt_table_or_json_listing
@opt_debug
@guard
def packs_command(packs_dir: str | None, output_format: str) -> None:
    """Liệt kê các gói quy tắc tìm thấy / list every rule pack found, and where."""
    from tabulate import tabulate

    from cchc.engine.pack.load import find_packs

    found = find_packs(packs_dir)
    if output_format == "json":
        listing = [_found_json(item, found) for item in found]
        click.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    rows = [[("" if item.active else "(") + (item.id or "?") + ("" if item.active else ")"),
             "" if item.meta is None else item.meta.year,
             "" if item.meta is None else item.meta.version,
             "" if item.meta is None else item.meta.title.vi, _source(item), item.path,
             _pack_note(item, found)] for item in found]
    headers = ["Mã / id", "Năm / year", "Phiên bản / version", "Tên / title", "Nguồn / source",
               "Thư mục / path", "Ghi chú / note"]
    click.echo(tabulate(rows, headers=headers, disable_numparse=True,
                        maxcolwidths=[None, None, None, 40, None, None, 40]))


@cli.command("diff",
             short_help="So sánh hai gói / what changed between two packs")
@click.argument("pack_a", metavar="PACK_A")
@click.argument("pack_b", metavar="PACK_B")
@opt_packs_dir
@opt_table_or_json
@opt_output
@opt_debug
@guard
def diff_command(pack_a: str, pack_b: str, packs_dir: str | None, output_format: str | None,
                 output: str | None) -> None:
    """So sánh hai gói quy tắc / what changed from PACK_A to PACK_B (each an id or a folder).

    Exit status 0 whether or not they differ (1 means an internal error in this tool)."""
    from cchc.engine.pack.diff import diff_packs
    from cchc.reports.pack_diff import render_diff_json, render_diff_table

    require_suffix(output, (".json", ".txt"), ("bảng hoặc JSON", "a table or JSON"))
    output_format = format_for(output, output_format, "table")
    before = resolve_pack(pack_a, None, None, option_name="PACK_A", packs_dir=packs_dir)
    after = resolve_pack(pack_b, None, None, option_name="PACK_B", packs_dir=packs_dir)
    diff = diff_packs(before, after)
    text = render_diff_json(diff) if output_format == "json" else render_diff_table(diff)
    write_output(output, text, (*pack_files(before), *pack_files(after)))


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
