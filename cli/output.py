"""Write results whole or not at all, only to a regular file or a new path, never over an input.

Output goes to standard output, or to a file through a temporary file in the same folder that is
renamed into place, so a reader never sees half a report and a failure leaves nothing behind:

- the target must be a new path or an existing regular file — never a device (`-o /dev/null`
  run as root would replace /dev/null), a FIFO, a symlink or a folder — and never a file the run
  reads (the facts file, any file of a pack read from a folder);
- the temporary file has a short name of its own (`.cchc-score-<pid>-<random>.tmp`), so a
  255-byte target name does not overflow it, and a later run in the same folder removes the
  ones whose process is gone (SIGKILL cannot be caught);
- SIGTERM, SIGHUP and SIGINT during the write remove the temporary file before the process ends
  (`signals.install` routes them here);
- an OS refusal (no permission, no space, a read-only disk, a name too long) is a usage error
  with exit status 2, never a traceback.

The new file gets the usual permissions (as the umask allows), not the temporary file's 0600.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import click

from cchc.cli import signals
from cchc.engine.errors import CommandLineError, usage_error

FORMAT_BY_SUFFIX = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".txt": None,
                    "": None}
TEMPORARY = re.compile(r"^\.cchc-score-(\d+)-[0-9a-f]{8}\.tmp$")


def format_for(output: str | None, chosen: str | None, default: str,
               more_suffixes: Mapping[str, str] | None = None) -> str:
    """The output format: the one chosen, else the one the file name suggests, else `default`.

    A file name whose extension no format of the command writes (.pdf, .csv for a report) is
    refused (exit status 2) rather than given a text report under a foreign name. A command that
    writes more formats names their extensions in `more_suffixes` (`batch`: {".csv": "csv"};
    scoring: .html, .docx, .xlsx).
    """
    by_suffix = {**FORMAT_BY_SUFFIX, **(more_suffixes or {})}
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    if suffix not in by_suffix:
        known = ", ".join(s for s in by_suffix if s)
        raise _refuse(output or "", f"chưa có định dạng nào ghi ra tệp đuôi {suffix}",
                      f"no output format writes {suffix} files",
                      f"một tên tệp đuôi {known} (bảng: .txt)",
                      f"a file name ending in {known} (table: .txt)")
    if chosen:
        return chosen
    return by_suffix.get(suffix) or default


def _shown(output: str) -> str:
    """The name as it can be printed (a name that is not UTF-8 keeps its bytes escaped)."""
    return output.encode("utf-8", "backslashreplace").decode("utf-8")


def _refuse(output: str, vi: str, en: str, expected_vi: str,
            expected_en: str) -> CommandLineError:
    return usage_error(f"-o {_shown(output)}", vi, en, expected_vi, expected_en)


def require_suffix(output: str | None, allowed: tuple[str, ...],
                   what: tuple[str, str]) -> None:
    """Refuse (exit status 2) an output file name whose extension is not one of `allowed`
    (a JSON template under a Word name would open as gibberish); `what` names what the command
    writes, in Vietnamese and English."""
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    if suffix and suffix not in allowed:
        raise _refuse(output or "", f"lệnh này chỉ ghi {what[0]}, không ghi tệp {suffix}",
                      f"this command writes {what[1]} only, not {suffix} files",
                      f"một tên tệp đuôi {', '.join(allowed)}",
                      f"a file name ending in {', '.join(allowed)}")


def _os_refusal(output: str, error: OSError) -> CommandLineError:
    reason = {errno.EACCES: ("không có quyền ghi vào đó", "no permission to write there"),
              errno.EPERM: ("không có quyền ghi vào đó", "no permission to write there"),
              errno.ENOSPC: ("ổ đĩa đã đầy", "the disk is full"),
              errno.EROFS: ("ổ đĩa chỉ cho đọc", "the disk is read-only"),
              errno.ENAMETOOLONG: ("tên tệp quá dài", "the file name is too long")}.get(
        error.errno or 0, (f"hệ điều hành từ chối ({error.strerror})",
                           f"the system refused ({error.strerror})"))
    return _refuse(output, f"không ghi được tệp: {reason[0]}", f"cannot write the file: "
                   f"{reason[1]}", "một tệp trong thư mục có quyền ghi và còn chỗ trống",
                   "a file in a folder you may write to, with space left")


def _remove_stale(directory: Path) -> None:
    """Remove temporary files of earlier runs whose process is gone (killed mid-write)."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        match = TEMPORARY.match(entry.name)
        if not match or int(match.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            Path(entry.path).unlink(missing_ok=True)
        except (PermissionError, OverflowError):  # alive under another user, or no such pid
            continue


def _check_target(output: str, target: Path, inputs: Iterable[Path], overwrite: bool) -> None:
    try:
        status = target.lstat()
    except FileNotFoundError:
        status = None
    except OSError as error:  # a name too long
        raise _os_refusal(output, error) from None
    except ValueError:  # a NUL in the name
        raise _refuse(output, "đường dẫn tệp kết quả chứa ký tự không dùng được (NUL)",
                      "the output path holds a character no file name may (NUL)",
                      "một đường dẫn hợp lệ", "a valid path") from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise _refuse(output, "đây là một thư mục, cần tên tệp", "this is a folder, not a file",
                      "đường dẫn tới một tệp, ví dụ bao-cao.json", "a file path, e.g. report.json")
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise _refuse(output, "đây không phải là một tệp thường (liên kết, thiết bị hoặc ống): "
                      "không ghi đè", "this is not a regular file (a link, a device or a pipe): "
                      "it is never replaced", "đường dẫn tới một tệp thường hoặc một tệp mới",
                      "the path of a regular file or of a new one")
    if status is not None:
        resolved = target.resolve()
        for source in inputs:
            try:
                same = source.exists() and source.resolve() == resolved
            except (OSError, ValueError):
                same = False
            if same:
                raise _refuse(output, "tệp kết quả trùng với một tệp đầu vào của lần chạy này "
                              f"({_shown(str(source))})", "the output file is an input of this "
                              f"run ({_shown(str(source))})",
                              "một tệp khác; tệp đầu vào (dữ kiện, gói quy tắc) không bao giờ bị "
                              "ghi đè", "another file; inputs (facts, rule pack) are never "
                              "overwritten")
        if not overwrite:
            raise _refuse(output, "tệp đã có, không ghi đè (có thể là tệp dữ kiện đã điền)",
                          "the file exists and is not overwritten (it may be a filled-in facts "
                          "file)", "một tên tệp mới, hoặc thêm --force để ghi đè",
                          "a new file name, or --force to overwrite")
    if not target.parent.is_dir():
        raise _refuse(output, "thư mục của tệp kết quả không tồn tại",
                      "the output file's folder does not exist", "một thư mục có sẵn",
                      "an existing folder")


def write_output(output: str | None, text: str | bytes | Iterable[str],
                 inputs: Iterable[Path] = (), overwrite: bool = True) -> None:
    """Print `text`, or write it to the file `output` atomically; `text` may come in pieces
    (a batch's JSON), written as they come, or as bytes (a workbook, a Word file: never to
    the terminal).

    Refuses (exit status 2) a folder, a missing folder, anything but a regular file, one of
    `inputs`, and — unless `overwrite` — any existing file.
    """
    if output is None or output == "-":
        if isinstance(text, bytes):
            raise usage_error("-o", "tệp Excel, Word không in ra màn hình được",
                              "an Excel or Word file cannot be printed to the terminal",
                              "-o TỆP, ví dụ -o bao-cao.docx", "-o FILE, e.g. -o report.docx")
        if not isinstance(text, str):
            text = "".join(text)
        try:
            click.echo(text, nl=False)
            sys.stdout.flush()
        except BrokenPipeError:  # `cchc-score … | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as error:  # a full disk behind `> report.txt`
            raise usage_error("stdout", f"không ghi được kết quả ra đầu ra chuẩn "
                              f"({error.strerror})", f"cannot write the result to standard "
                              f"output ({error.strerror})", "chỗ trống trên ổ đĩa, hoặc -o TỆP",
                              "space on the disk, or -o FILE") from None
        return
    target = Path(output)
    _check_target(output, target, tuple(inputs), overwrite)
    directory = target.parent
    _remove_stale(directory)
    temporary = directory / f".cchc-score-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        with signals.removing(temporary):
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            if isinstance(text, bytes):
                with os.fdopen(handle, "wb") as binary:
                    binary.write(text)
            else:
                with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                    if isinstance(text, str):
                        stream.write(text)
                    else:
                        stream.writelines(text)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _os_refusal(output, error) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
