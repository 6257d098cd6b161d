"""The installed version of cchc-score, looked up once per process (reports carry it; the pack
cache keys its entries by it)."""

from __future__ import annotations

import functools


@functools.cache
def tool_version() -> str:
    """The installed version of cchc-score."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cchc-score")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"
