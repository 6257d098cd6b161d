"""Signals: Ctrl-C, SIGTERM and SIGHUP end a run quietly, with status 128 + the signal (130
for Ctrl-C, as shells report it), after removing any temporary file being written.

Installed first thing by the console-script entry (`cchc.cli.entry`), before the rest of the
program is imported, so Ctrl-C during start-up prints no traceback either. SIGKILL cannot be
caught: the temporary files' names let a later run remove what a killed one left
(`cchc.cli.output`).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

_being_written: set[Path] = set()
_CAUGHT = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                if hasattr(signal, name))


def _stop(signum: int, frame: FrameType | None) -> None:
    for path in list(_being_written):
        with suppress(OSError):
            path.unlink(missing_ok=True)
    name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    os.write(2, f"\ncchc-score: đã dừng ({name}) / stopped ({name})\n".encode())
    os._exit(128 + signum)


def install() -> None:
    """Route Ctrl-C, SIGTERM and SIGHUP to a quiet stop that cleans up."""
    for signum in _CAUGHT:
        signal.signal(signum, _stop)


@contextmanager
def removing(path: Path) -> Iterator[None]:
    """While the block runs, a signal that stops the run removes `path` first."""
    _being_written.add(path)
    try:
        yield
    finally:
        _being_written.discard(path)
