"""What-if settings: facts given on the command line (`--set fact=value`) over a facts file.

A setting replaces one fact's value in a `FactsDocument` read from a file; the file itself is
never touched. The new document keeps the file's name and sha256 (it is still that file that
was read), so whoever shows it must say it is a what-if: `apply_settings` returns only the
document, and the caller prints the settings it applied.

    document = apply_settings(read_facts(path), [("giao_dich_thanh_toan_truc_tuyen", "649")],
                              pack)
    ward = check_facts(document, pack)          # every setting is checked as the file's facts are

A value is typed text (`cchc.engine.facts.typed_text.read_typed`: "1.200", "12,5", "85%",
"2024-03-31", "true", a level's id, blank for no data) read by the fact's type into what a facts
file would hold. A fact given as an object keeps its evidence and note (only its value
changes); an index result gets this year's edition (last year's for `previous_year.NAME`) and
stops being pending. `previous_year.NAME=value` sets last year's value of a fact a rule compares
with last year's (the `previous_year` section is added if the file has none).

Refused, all at once, each naming `--set NAME=VALUE` (a usage error, exit status 2): an unknown
fact (with the closest id), last year's value of a fact no rule compares with last year's, a
table fact (rows cannot be typed on a command line), one fact set twice, and a value its fact's
type does not read. (`cli.options.opt_set` splits `NAME=VALUE` and refuses a setting without
`=`.)
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from cchc.engine.errors import CommandLineError, Problem
from cchc.engine.facts.model import FactsDocument, PreviousYear
from cchc.engine.facts.typed_text import NOT_DONE, TypedTextError, read_typed
from cchc.engine.pack.model import Pack
from cchc.rules.schema import FactSpec

OPTION = "--set"
PREVIOUS_YEAR = "previous_year."


def fact_of(name: str) -> tuple[str, bool]:
    """A setting's name -> (the fact, whether it is last year's value)."""
    if name.startswith(PREVIOUS_YEAR):
        return name[len(PREVIOUS_YEAR):], True
    return name, False


def _unknown(pack: Pack, name: str, where: str) -> Problem:
    fact, last_year = fact_of(name)
    known = [*pack.facts, *(PREVIOUS_YEAR + f for f in pack.previous_year_facts())]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6) if len(name) <= 100 else []
    if last_year and fact in pack.facts:
        return Problem(where, f"không quy tắc nào so sánh với giá trị năm trước của '{fact}'",
                       f"no rule compares last year's '{fact}'",
                       "các dữ kiện năm trước: xem mục previous_year của `cchc-score template`",
                       "last year's facts: see previous_year in `cchc-score template`")
    return Problem(where, f"không có dữ kiện tên '{name}'", f"no fact is named '{name}'",
                   f"có phải ý bạn là '{close[0]}'?" if close else "xem `cchc-score template`",
                   f"did you mean '{close[0]}'?" if close else "see `cchc-score template`")


def apply_settings(document: FactsDocument, settings: Sequence[tuple[str, str]],
                   pack: Pack) -> FactsDocument:
    """A new document: `document` with each (fact, typed text) setting applied. The file is
    never modified; name and sha256 stay the file's. Every refused setting is reported at once
    as a usage error (exit status 2) naming `--set NAME=VALUE`."""
    if not settings:
        return document
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, text in settings:
        where = f"{OPTION} {name}={text}"
        fact, last_year = fact_of(name)
        spec = pack.facts.get(fact)
        if spec is None or (last_year and fact not in pack.previous_year_facts()):
            problems.append(_unknown(pack, name, where))
            continue
        if spec.type == "table":
            problems.append(Problem(
                where, f"{spec.label.vi}: là một bảng, không đặt được bằng {OPTION}",
                f"{spec.label.en}: a table cannot be set with {OPTION}",
                "sửa các dòng của bảng trong tệp dữ kiện",
                "edit the table's rows in the facts file"))
            continue
        if name in values:
            problems.append(Problem(where, f"'{name}' được đặt hai lần",
                                    f"'{name}' is set twice", "mỗi dữ kiện một lần",
                                    "each fact once"))
            continue
        try:
            values[name] = read_typed(text, spec)
        except TypedTextError as error:
            problems.append(Problem(where, f"{spec.label.vi}: {error.vi}",
                                    f"{spec.label.en}: {error.en}", error.expected_vi,
                                    error.expected_en))
    if problems:
        raise CommandLineError(OPTION, problems)
    return with_values(document, values, pack)


def with_values(document: FactsDocument, values: Mapping[str, Any],
                pack: Pack) -> FactsDocument:
    """A new document with facts set to raw values, as a facts file holds them (int, Decimal,
    bool, an ISO date or False, a level's id, a list of ISO dates, None for no data); a name
    `previous_year.NAME` sets last year's. Nothing is checked here: `check_facts` checks the
    result as it checks a file."""
    if not values:
        return document
    content = document.content
    facts = dict(content.facts)
    last = content.previous_year
    previous = dict(last.facts) if last is not None else {}
    previous_changed = False
    for name, raw in values.items():
        fact, last_year = fact_of(name)
        spec = pack.facts[fact]
        target = previous if last_year else facts
        year = content.year - 1 if last_year else content.year
        target[fact] = _entry(target.get(fact), raw, spec.edition, year)
        previous_changed = previous_changed or last_year
    update: dict[str, Any] = {"facts": facts}
    if previous_changed:
        update["previous_year"] = (
            PreviousYear(year=content.year - 1, facts=previous) if last is None
            else last.model_copy(update={"facts": previous}))
    return dataclasses.replace(document, content=content.model_copy(update=update))


def _entry(old: Any, raw: Any, edition: bool, year: int) -> Any:
    """A fact's new entry: the old object with its value replaced (evidence and note kept, no
    longer pending), or the bare value; an index result names its edition."""
    if isinstance(old, dict):
        entry = {key: item for key, item in old.items() if key not in ("pending", "edition")}
        entry["value"] = raw
        if edition and raw is not None:
            entry["edition"] = year
        return entry
    if edition and raw is not None:
        return {"value": raw, "edition": year}
    return raw


def typed(raw: Any, spec: FactSpec) -> str:
    """A raw value as `--set` takes it back (`read_typed(typed(v, spec), spec) == v`): a whole
    number as its digits, a decimal with a decimal comma and no grouping (12,5), a date as ISO
    text, not done as "chưa thực hiện", yes/no as true/false, a level by its id, a list of dates
    separated by ";" (an empty list as "[]"), no data as blank."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        if spec.type == "date":
            return NOT_DONE[0]
        return "true" if raw else "false"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, Decimal):
        if raw == raw.to_integral_value():
            return str(int(raw))
        return f"{raw.normalize():f}".replace(".", ",")
    if isinstance(raw, list | tuple):
        return ";".join(str(day) for day in raw) if raw else "[]"
    return str(raw)


def setting(name: str, raw: Any, pack: Pack) -> str:
    """'NAME=TEXT', the `--set` that gives fact NAME (or `previous_year.NAME`) the raw value."""
    return f"{name}={typed(raw, pack.facts[fact_of(name)[0]])}"
