"""Office files (.xlsx, .docx) made byte for byte the same from the same input: their zip parts
rewritten with one fixed timestamp, in the order written, so a file can be compared, hashed
and kept as a golden one."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


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
