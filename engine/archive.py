"""Office files (.xlsx, .docx) made byte for byte the same from the same input: their zip parts
rewritten with one fixed timestamp, in the order written, so a file can be compared, hashed
and kept as a golden one."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook


def fixed_zip(data: bytes, when: dt.date) -> bytes:
    """The zip `data` with every part dated `when` (00:00; the zip format starts in 1980)."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = zipfile.ZipInfo(item.filename, date_time=stamp)
            part.compress_type = zipfile.ZIP_DEFLATED
            part.external_attr = 0o600 << 16
            target.writestr(part, source.read(item.filename))
    return out.getvalue()


def workbook_bytes(book: Workbook, created: dt.date, modified: dt.date | None = None) -> bytes:
    """An openpyxl workbook's .xlsx bytes, dated `created` (and `modified`) and never by the
    clock: written by openpyxl's ExcelWriter (`Workbook.save` stamps `modified` with the time
    of day), every zip part dated `modified`."""
    from openpyxl.writer.excel import ExcelWriter

    modified = modified or created
    book.properties.created = dt.datetime.combine(created, dt.time())
    book.properties.modified = dt.datetime.combine(modified, dt.time())
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return fixed_zip(stream.getvalue(), modified)
