"""The shape of a facts file (pydantic models) and of a checked one (dataclasses).

`FactsFile` is what a ward writes: the unit, the year, optionally the pack, the facts and last
year's facts; each fact is a bare value or a `FactEntry` with evidence (`Evidence`) and a note.
`WardFacts` is the same after checking against a rule pack (facts.py): every value in the
engine's types, every fact with the JSON path it came from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cchc.engine.dates import DateFormatError, format_date, parse_date
from cchc.engine.errors import InputError, Problem
from cchc.engine.warnings import FactWarning

MAX_TEXT = 2000
MAX_EVIDENCE = 50  # documents behind one fact: a screenful, far above any real one


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Evidence(_Model):
    """A document backing a fact (tài liệu kiểm chứng): number, date, issuer, title, page, file."""

    number: str | None = Field(None, max_length=MAX_TEXT)
    date: str | None = Field(None, max_length=40)
    issuer: str | None = Field(None, max_length=MAX_TEXT)
    title: str | None = Field(None, max_length=MAX_TEXT)
    page: str | int | None = None
    file: str | None = Field(None, max_length=MAX_TEXT)
    sha256: str | None = Field(None, pattern=r"^[0-9a-fA-F]{64}$")

    @model_validator(mode="after")
    def _identifies_a_document(self) -> Evidence:
        if not (self.number or self.title or self.file):
            raise ValueError("evidence needs at least a number, a title or a file")
        return self

    def describe(self, lang: str = "vi") -> str:
        """'Số 15/KH-UBND ngày 01/02/2024 của UBND Phường 5: Kế hoạch CCHC năm 2024, tr. 3'; a
        document without a number reads 'Văn bản ngày … của …', never with a dangling word."""
        vi = lang == "vi"
        parts = []
        if self.number:
            parts.append(f"{'Số' if vi else 'No.'} {self.number}")
        elif self.date or self.issuer:
            parts.append("Văn bản" if vi else "Document")
        if self.date:
            parts.append(f"{'ngày' if vi else 'of'} {_document_date(self.date)}")
        if self.issuer:
            parts.append(f"{'của' if vi else 'by'} {self.issuer}")
        text = " ".join(parts)
        if self.title:
            text = f"{text}: {self.title}" if text else self.title
        if self.page is not None:
            text += f", {'tr.' if vi else 'p.'} {self.page}" if text else \
                f"{'tr.' if vi else 'p.'} {self.page}"
        if self.file:
            text += f" [{self.file}]" if text else self.file
        return text


@functools.lru_cache(maxsize=4096)
def _document_date(text: str) -> str:
    """A document's date as dd/mm/yyyy (as typed, if it is not one)."""
    try:
        return format_date(parse_date(text))
    except DateFormatError:
        return text


class FactEntry(_Model):
    """A fact given as an object: its value, evidence and a note. Label keys are the template's.

    An index result (a fact the pack marks `edition`) also says which edition (năm đánh giá) the
    value belongs to; `pending: true` (with no value) says this year's edition is not yet
    published on the assessment date (chờ kết quả).
    """

    value: Any = None
    edition: int | None = Field(None, ge=2000, le=2100)
    pending: bool = False
    evidence: list[Evidence] = Field([], max_length=MAX_EVIDENCE)
    note: str | None = Field(None, max_length=MAX_TEXT)
    label_vi: str | None = None
    label_en: str | None = None
    unit: str | None = None
    hint: str | None = None


class Unit(_Model):
    """The reporting unit: ward (phường/xã), city, province."""

    ward: str = Field(min_length=1, max_length=200)
    city: str | None = Field(None, max_length=200)
    province: str | None = Field(None, max_length=200)


class PreviousYear(_Model):
    """Last year's values, for targets that ask for an improvement ('nâng cao')."""

    year: int
    facts: dict[str, Any]


class FactsFile(_Model):
    """The facts file: the unit, the year, optionally the pack, the facts and last year's."""

    unit: Unit
    year: int = Field(ge=2000, le=2100)
    pack: str | None = None
    prepared_by: str | None = Field(None, max_length=MAX_TEXT)
    prepared_on: str | None = Field(None, max_length=40)
    facts: dict[str, Any] = {}
    previous_year: PreviousYear | None = None

    @model_validator(mode="after")
    def _prepared_on_is_a_date(self) -> FactsFile:
        if self.prepared_on:
            try:
                parse_date(self.prepared_on)
            except DateFormatError:
                raise ValueError("prepared_on is not a date (2025-01-15 or 15/01/2025)") from None
        return self


@dataclass(frozen=True)
class FactsDocument:
    """A facts file whose structure has been checked, before its values are checked against a
    pack: the name it is shown by, the sha256 of its bytes, and its content."""

    name: str
    sha256: str
    content: FactsFile
    # Where each JSON path stands in the file a person typed, when it is not JSON (a workbook:
    # "$.facts.x.value" -> "Sheet 'III. TTHC', ô / cell D14 (x)"); empty for a JSON file.
    places: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    # Problems found reading a workbook's cells, reported together with the facts check's
    # (a clerk fixes every cell in one go, not one round of errors after another)
    problems: tuple[Problem, ...] = field(default=(), hash=False, compare=False)

    def place(self, path: str) -> str:
        """Where a JSON path stands for the person who typed the file (`place_of`)."""
        return place_of(self.places, path)

    def relocate(self, error: InputError) -> InputError:
        """`error` with each problem's JSON path replaced by its place (`relocate`)."""
        return relocate(error, self.places)
        error.problems = [dataclasses.replace(problem, where=self.place(problem.where))
                          for problem in error.problems]
        return error

    @property
    def pack(self) -> str | None:
        """The pack the file names, if any."""
        return self.content.pack

    @property
    def year(self) -> int:
        """The year the file reports on."""
        return self.content.year


def place_of(places: Mapping[str, str], path: str) -> str:
    """Where a JSON path stands for the person who typed the file: the path itself in a JSON
    file (no places); in a workbook the cell of the path, or of the nearest path holding it."""
    if not places:
        return path
    probe = path
    while probe:
        if probe in places:
            return places[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        if cut <= 0:
            break
        probe = probe[:cut]
    return path


def relocate(error: InputError, places: Mapping[str, str]) -> InputError:
    """`error` with each problem's JSON path replaced by its place (a workbook's cell)."""
    if places:
        error.problems = [dataclasses.replace(problem, where=place_of(places, problem.where))
                          for problem in error.problems]
    return error


# the model that validates the keys at a place, for "did you mean" on an unknown key
MODEL_AT: dict[tuple, type[BaseModel]] = {("unit",): Unit, ("previous_year",): PreviousYear}


Row = dict[str, "int | Fraction | dt.date | str | None"]
# count, rank, level -> int; number -> Fraction; boolean -> bool; date -> date or False;
# dates -> a tuple of dates; table -> a tuple of rows (column -> value)
Value = int | Fraction | bool | dt.date | tuple[dt.date, ...] | tuple[Row, ...] | None


@dataclass(slots=True, unsafe_hash=True)
class Reported:
    """One checked fact: its value in the engine's types (None = no data), evidence and note.
    Never changed once made (hashed as a frozen one would be); not frozen only because frozen
    dataclasses are several times slower to create, and a ward has a hundred of these.

    Types: count and rank -> int; number -> Fraction (exact); boolean -> bool; date -> date, or
    False when reported not done; level -> the level's position (0 = lowest); dates -> a tuple
    of dates, as typed; table -> a tuple of rows, each a dict of column -> value. An index result
    carries its edition; `pending` means its edition is not yet published (value None).
    """

    name: str
    value: Value
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None
    path: str = ""
    edition: int | None = None
    pending: bool = False


@dataclass(frozen=True)
class WardFacts:
    """A checked facts file."""

    file_name: str
    sha256: str
    unit: Unit
    year: int
    pack_id: str | None
    current: dict[str, Reported]
    previous_year: int | None
    previous: dict[str, Reported]
    prepared_by: str | None = None
    prepared_on: str | None = None
    warnings: tuple[FactWarning, ...] = ()


def dated_values(value: object, path: str) -> Iterator[tuple[dt.date, str]]:
    """(date, JSON path) of every date a fact's value holds: the date itself, each date of a
    list, each date cell of a table's rows."""
    if isinstance(value, dt.date):
        yield value, path
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            if isinstance(item, dt.date):
                yield item, f"{path}[{index}]"
            elif isinstance(item, dict):
                yield from ((cell, f"{path}[{index}].{column}") for column, cell in item.items()
                            if isinstance(cell, dt.date))
