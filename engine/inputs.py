"""The input pipeline: read a facts file → resolve its rule pack → check the facts against it.

    document = read_facts(path)                                        # facts/read.py
    pack = resolve_pack(option, document.pack, document.year, name)    # pack/load.py
    ward = check_facts(document, pack)                                 # facts/check.py

`load_ward` is those three steps, with no callbacks: the same function serves the command
line, the tests and the benchmark.
"""

from __future__ import annotations

from pathlib import Path

from cchc.engine.facts.check import check_facts
from cchc.engine.facts.model import WardFacts
from cchc.engine.facts.read import read_facts
from cchc.engine.pack.load import resolve_pack
from cchc.engine.pack.model import Pack


def load_ward(path: Path, pack_option: str | None = None,
              display_name: str | None = None) -> tuple[Pack, WardFacts]:
    """The pack a facts file is scored with (`pack_option` — an id or a folder — else the one
    the file names, else its year's) and the file's checked facts."""
    document = read_facts(path, display_name)
    pack = resolve_pack(pack_option, document.pack, document.year, document.name)
    return pack, check_facts(document, pack)
