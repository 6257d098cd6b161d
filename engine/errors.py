"""Typed errors of each stage, each saying in Vietnamese and English what is wrong and where.

Exit statuses (DESIGN.md): 2 bad input or usage, 3 bad rule pack, 1 internal error; and 4 when
a pack's own tests fail (`cchc-score test`). Every error
names the file; an input problem names the JSON path and what was expected; a pack problem names
the rule id and field. The CLI prints them; it never prints a traceback unless asked (--debug).
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2
EXIT_PACK = 3
EXIT_TESTS_FAILED = 4  # `cchc-score test`: a pack test failed, or coverage fell short
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it (128 + SIGINT)
# An error lists at most this many problems, then how many more there are: a file with
# 100 000 unknown keys gets a screenful, not 23 MB.
MAX_SHOWN_PROBLEMS = 50


MAX_PROBLEM_TEXT = 1000


def _short(text: str) -> str:
    """A message part, cut to a readable length (a hostile name can be a megabyte long)."""
    if len(text) <= MAX_PROBLEM_TEXT:
        return text
    return f"{text[:MAX_PROBLEM_TEXT]}… (+{len(text) - MAX_PROBLEM_TEXT:,} ký tự / characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (JSON path, or rule and field), what, what was expected."""

    where: str
    vi: str
    en: str
    expected_vi: str = ""
    expected_en: str = ""


@dataclass
class CchcError(Exception):
    """Base of the errors cchc-score reports to a person rather than as a traceback."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    exit_status = EXIT_INTERNAL
    title_vi = "Lỗi"
    title_en = "Error"
    subject_vi = "Tệp"
    subject_en = "file"

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """The error as a person reads it: title, file, then each problem where it stands."""
        lines = [f"cchc-score: {self.title_vi} / {self.title_en}",
                 f"  {self.subject_vi} / {self.subject_en}: {self.file}"]
        for problem in self.problems[:MAX_SHOWN_PROBLEMS]:
            where, vi, en = _short(problem.where), _short(problem.vi), _short(problem.en)
            if where and where != "$":
                lines += [f"  • {where}", f"      {vi}", f"      {en}"]
            else:  # the whole file: no place to point at
                lines += [f"  • {vi}", f"    {en}"]
            if problem.expected_vi or problem.expected_en:
                lines.append(f"      Cần / expected: {_short(problem.expected_vi)} / "
                             f"{_short(problem.expected_en)}")
        hidden = len(self.problems) - MAX_SHOWN_PROBLEMS
        if hidden > 0:
            lines.append(f"  … và {hidden:,} lỗi khác (sửa các lỗi trên rồi chạy lại) / and "
                         f"{hidden:,} more (fix those above and run again)".replace(",", "."))
        return "\n".join(lines)


class InputError(CchcError):
    """The facts file (or a command-line argument) cannot be used as it is. Exit status 2."""

    exit_status = EXIT_INPUT
    title_vi = "Lỗi dữ liệu đầu vào"
    title_en = "Input error"


class CommandLineError(InputError):
    """An option on the command line cannot be used (a pack that does not exist, an output
    path that is a folder). Exit status 2."""

    title_vi = "Lỗi dòng lệnh"
    title_en = "Usage error"
    subject_vi = "Tùy chọn"
    subject_en = "option"


class PackError(CchcError):
    """The rule pack is broken: schema, cross-references or points. Exit status 3."""

    exit_status = EXIT_PACK
    title_vi = "Lỗi gói quy tắc"
    title_en = "Rule pack error"


class EngineError(CchcError):
    """An internal inconsistency (a bug, not bad input). Exit status 1."""

    exit_status = EXIT_INTERNAL
    title_vi = "Lỗi nội bộ"
    title_en = "Internal error"


def more_problems(where: str, count: int) -> Problem:
    """One problem standing for `count` more of the same place (never built one by one)."""
    return Problem(where, f"… và {count:,} lỗi khác ở đây".replace(",", "."),
                   f"… and {count:,} more problems here")


def input_error(file: str, where: str, vi: str, en: str, expected_vi: str = "",
                expected_en: str = "") -> InputError:
    """An InputError with a single problem."""
    return InputError(file, [Problem(where, vi, en, expected_vi, expected_en)])


def usage_error(option: str, vi: str, en: str, expected_vi: str = "",
                expected_en: str = "") -> CommandLineError:
    """A CommandLineError about one option."""
    return CommandLineError(option, [Problem("$", vi, en, expected_vi, expected_en)])


def pack_error(file: str, where: str, vi: str, en: str) -> PackError:
    """A PackError with a single problem."""
    return PackError(file, [Problem(where, vi, en)])
