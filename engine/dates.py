"""Parse the dates people type: ISO `2024-02-01` and Vietnamese `01/02/2024` (day first).

An impossible date (30/02/2024) is an error, never a guess. `1/2/2024` is accepted (one-digit day
or month, as typed); `2024-2-1` is not (ISO has fixed widths).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

# ASCII digits only: "２０２４" (full-width digits) is not a year a document carries.
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)


class DateFormatError(ValueError):
    """The text is not a date in an accepted form, or names a day that does not exist.

    `impossible` tells the two apart: 31/04/2024 has the right form but is no day at all.
    """

    def __init__(self, text: str, impossible: bool = False) -> None:
        super().__init__(text)
        self.impossible = impossible


def parse_date(text: str) -> dt.date:
    """`2024-02-01` or `01/02/2024` -> date(2024, 2, 1); raises DateFormatError otherwise."""
    return _parse(text.strip())


# Facts files repeat the same few dates (a report's date behind many facts): a date, once read,
# is looked up. Only successes are kept (an error is raised afresh each time); dates are
# immutable, so sharing one is safe.
@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> dt.date:
    match = _ISO.match(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _DMY.match(text)
        if not match:
            raise DateFormatError(text)
        day, month, year = match.groups()
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise DateFormatError(text, impossible=True) from None


def format_date(value: dt.date) -> str:
    """dd/mm/yyyy, as Vietnamese documents write dates."""
    return value.strftime("%d/%m/%Y")
