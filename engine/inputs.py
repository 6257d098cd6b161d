"""The input pipeline: read a facts file → resolve its rule pack → check the facts against it.

    document = read_facts(path)                                        # facts/read.py
    pack = resolve_pack(option, document.pack, document.year, name)    # pack/load.py
    ward = check_facts(document, pack)                                 # facts/check.py
    warnings = plausibility_warnings(document, ward, pack, folder)     # facts/plausible.py

`load_ward` is those steps, with no callbacks: the same function serves the command line, the
tests and the benchmark. The warnings travel with the checked facts into the report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from cchc.engine.facts.check import check_facts
from cchc.engine.facts.model import WardFacts
from cchc.engine.facts.plausible import plausibility_warnings
from cchc.engine.facts.read import read_facts
from cchc.engine.pack.load import resolve_pack
from cchc.engine.pack.model import Pack

# (the pack the file names, its year, the file's name) -> the pack it is scored with
PackResolver = Callable[[str | None, int | None, str], Pack]


def load_ward(path: Path, pack_option: str | None = None,
              display_name: str | None = None,
              packs_dir: str | None = None,
              resolve: PackResolver | None = None) -> tuple[Pack, WardFacts]:
    """The pack a facts file is scored with (`pack_option` — an id or a folder — else the one
    the file names, else its year's; packs are looked for in `packs_dir` first) and the file's
    checked facts, with their plausibility warnings (evidence files are looked for beside the
    facts file). `resolve` replaces the pack search (a batch remembers the packs it found)."""
    document = read_facts(path, display_name)
    if resolve is not None:
        pack = resolve(document.pack, document.year, document.name)
    else:
        pack = resolve_pack(pack_option, document.pack, document.year, document.name,
                            packs_dir=packs_dir)
    ward = check_facts(document, pack)
    folder = None if str(path) == "-" else path.parent
    warnings = plausibility_warnings(document, ward, pack, folder)
    return pack, dataclasses.replace(ward, warnings=tuple(warnings))
