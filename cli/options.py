"""The options and the error guard every `cchc-score` command shares (`cli.main`, `cli.batch`).

`guard` runs a command and reports a CchcError plainly (its Vietnamese and English text, exit
status by kind) and anything else as an internal error with a short message (the traceback only
with --debug).
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cchc.engine.errors import EXIT_INTERNAL, CchcError


def guard(command: Callable[..., None]) -> Callable[..., None]:
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


opt_pack = click.option(
    "--pack", "pack_option", metavar="ID|DIR",
    help="Gói quy tắc: mã (xem `cchc-score packs`) hoặc thư mục. Mặc định: theo tệp dữ kiện / "
         "Rule pack id or folder; default: the one the facts file names, or its year's.")
opt_packs_dir = click.option(
    "--packs-dir", "packs_dir", metavar="DIR",
    help="Tìm mã gói quy tắc trong thư mục này trước ($CCHC_SCORE_PACKS, thư mục người dùng, "
         "gói đi kèm) / look for pack ids in DIR first (then $CCHC_SCORE_PACKS, the user "
         "folder, the shipped packs).")
opt_debug = click.option("--debug", is_flag=True,
                             help="In traceback khi có lỗi / print tracebacks on errors.")
opt_output = click.option("-o", "--output", metavar="FILE",
                              help="Ghi ra tệp (ghi trọn vẹn hoặc không ghi) / write to FILE "
                                   "(whole or not at all).")
opt_lang = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi",
                            show_default=True, help="Ngôn ngữ / language.")
opt_table_or_json = click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]),
    help="Định dạng / output format: table (mặc định / default) hoặc / or json; với -o, theo "
         "đuôi tệp / with -o, from the file's extension.")


opt_appraisal = click.option(
    "--appraisal", "appraisal_file", type=click.Path(path_type=Path, exists=False),
    metavar="FILE", help="Tệp thẩm định của thành phố (các vòng, quyết định, giải trình) / the "
                         "city's appraisal file (rounds, decisions, giải trình).")


opt_table_or_json_listing = click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table",
    show_default=True, help="Định dạng / output format: table hoặc / or json.")


def _settings(ctx: click.Context, param: click.Parameter,
              given: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`--set fact=value` options as (fact, value) pairs, the value as typed."""
    out = []
    for item in given:
        fact, equals, value = item.partition("=")
        if not equals or not fact.strip():
            raise click.BadParameter(f"«{item}»: cần dạng dữ_kiện=giá_trị / expected "
                                     "fact=value, e.g. --set ho_so_truc_tuyen=1200")
        out.append((fact.strip(), value))
    return tuple(out)


opt_set = click.option(
    "--set", "settings", multiple=True, metavar="FACT=VALUE", callback=_settings,
    help="Giả định: chấm với giá trị này thay cho giá trị trong tệp (tệp không bị sửa; lặp lại "
         "được), giá trị gõ như trong Excel: 1.200, 12,5, 15/03/2024, Có / what-if: score with "
         "this value instead of the file's (the file is not changed; repeatable), typed as in "
         "the workbook.")


def settings_edit(settings: tuple[tuple[str, str], ...]) -> Any:
    """The edit that applies `--set` settings to the facts read (None without any)."""
    if not settings:
        return None
    from cchc.engine.facts.whatif import apply_settings

    def edit(document: Any, pack: Any) -> Any:
        return apply_settings(document, settings, pack)

    return edit
