"""Write results whole or not at all, and never over an input.

Output goes to standard output, or to a file through a temporary file in the same folder that is
renamed into place, so a reader never sees half a report and a failure leaves nothing behind.
The new file gets the usual permissions (as the umask allows), not the temporary file's 0600.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from cchc.engine.errors import CommandLineError, usage_error

FORMAT_BY_SUFFIX = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".txt": None,
                    "": None}


def format_for(output: str | None, chosen: str | None, default: str) -> str:
    """The output format: the one chosen, else the one the file name suggests, else `default`.

    A file name whose extension no format writes (.docx, .xlsx, .csv today) is refused (exit
    status 2) rather than given a text report under a Word or Excel name.
    """
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    if suffix not in FORMAT_BY_SUFFIX:
        known = ", ".join(s for s in FORMAT_BY_SUFFIX if s)
        raise _refuse(output or "", f"chưa có định dạng nào ghi ra tệp đuôi {suffix}",
                      f"no output format writes {suffix} files",
                      f"một tên tệp đuôi {known} (bảng: .txt)",
                      f"a file name ending in {known} (table: .txt)")
    if chosen:
        return chosen
    return FORMAT_BY_SUFFIX.get(suffix) or default


def _refuse(output: str, vi: str, en: str, expected_vi: str,
            expected_en: str) -> CommandLineError:
    return usage_error(f"-o {output}", vi, en, expected_vi, expected_en)


def require_suffix(output: str | None, allowed: tuple[str, ...], what: str) -> None:
    """Refuse (exit status 2) an output file name whose extension is not one of `allowed`
    (a JSON template under a Word name would open as gibberish)."""
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    if suffix and suffix not in allowed:
        raise _refuse(output or "", f"lệnh này chỉ ghi {what}, không ghi tệp {suffix}",
                      f"this command writes {what} only, not {suffix} files",
                      f"một tên tệp đuôi {', '.join(allowed)}",
                      f"a file name ending in {', '.join(allowed)}")


def write_output(output: str | None, text: str, inputs: tuple[Path, ...] = (),
                 overwrite: bool = True) -> None:
    """Print `text`, or write it to the file `output` atomically.

    Refuses (exit status 2) a folder, a missing folder, one of `inputs`, and — unless
    `overwrite` — any existing file.
    """
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    target = Path(output)
    if target.is_dir():
        raise _refuse(output, "đây là một thư mục, cần tên tệp", "this is a folder, not a file",
                      "đường dẫn tới một tệp, ví dụ bao-cao.json", "a file path, e.g. report.json")
    if any(target.exists() and source.exists() and target.resolve() == source.resolve()
           for source in inputs):
        raise _refuse(output, "tệp kết quả trùng với tệp dữ kiện đầu vào",
                      "the output file is the input facts file",
                      "một tệp khác; tệp đầu vào không bao giờ bị ghi đè",
                      "another file; input files are never overwritten")
    if target.exists() and not overwrite:
        raise _refuse(output, "tệp đã có, không ghi đè (có thể là tệp dữ kiện đã điền)",
                      "the file exists and is not overwritten (it may be a filled-in facts file)",
                      "một tên tệp mới, hoặc thêm --force để ghi đè",
                      "a new file name, or --force to overwrite")
    directory = target.parent
    if not directory.is_dir():
        raise _refuse(output, "thư mục của tệp kết quả không tồn tại",
                      "the output file's folder does not exist", "một thư mục có sẵn",
                      "an existing folder")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
