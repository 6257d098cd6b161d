"""Rule packs shipped with cchc-score: one folder per plan (e.g. `phuong5-2024/`).

Each folder holds pack.yaml, facts.yaml, requirements.yaml and rules/*.yaml (see schema.py for
their shape). They ship inside the wheel as package data and are found with importlib.resources,
so `cchc-score` works from any directory once installed. Adding next year's plan is adding a
folder here: no code changes. A shipped pack's folder is named by its pack.yaml `id`.

Packs outside the tool (`--packs-dir`, `$CCHC_SCORE_PACKS`, the user folder) are found by
`cchc.engine.pack.discover`, which searches them before these.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the type is needed; importlib.resources.abc is 3.11+
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

PACK_MANIFEST = "pack.yaml"


def packs_root() -> Traversable:
    """The folder that holds the shipped rule packs."""
    return files(__name__)


def shipped_packs() -> dict[str, Traversable]:
    """Folder name (the pack's id) -> folder, for every shipped pack, sorted by name."""
    found = {
        entry.name: entry
        for entry in packs_root().iterdir()
        if entry.is_dir() and entry.joinpath(PACK_MANIFEST).is_file()
    }
    return dict(sorted(found.items()))
