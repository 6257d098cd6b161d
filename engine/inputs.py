"""The input pipeline: read a facts file → resolve its rule pack → check the facts against it.

    document = read_facts(path)        # facts/read.py (a .xlsx: facts/workbook_read.py)
    pack = resolve_pack(option, document.pack, document.year, name)    # pack/load.py
    ward = check_facts(document, pack)                                 # facts/check.py
    warnings = plausibility_warnings(document, ward, pack, folder)     # facts/plausible.py

`load_ward` is those steps: the same function serves the command line, the tests and the
benchmark. The warnings travel with the checked facts into the report. A workbook's problems
and warnings name their sheet and cell instead of a JSON path (`FactsDocument.places`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from cchc.engine.errors import InputError
from cchc.engine.facts.check import check_facts
from cchc.engine.facts.model import FactsDocument, WardFacts
from cchc.engine.facts.plausible import plausibility_warnings
from cchc.engine.facts.read import read_facts
from cchc.engine.facts.workbook import is_workbook
from cchc.engine.pack.load import resolve_pack
from cchc.engine.pack.model import Pack

# (the pack the file names, its year, the file's name) -> the pack it is scored with
PackResolver = Callable[[str | None, int | None, str], Pack]
# a change to the facts read, before they are checked (`--set fact=value`)
DocumentEdit = Callable[[FactsDocument, Pack], FactsDocument]


def load_ward(path: Path, pack_option: str | None = None,
              display_name: str | None = None,
              packs_dir: str | None = None,
              resolve: PackResolver | None = None,
              edit: DocumentEdit | None = None) -> tuple[Pack, WardFacts]:
    """The pack a facts file is scored with (`pack_option` — an id or a folder — else the one
    the file names, else its year's; packs are looked for in `packs_dir` first) and the file's
    checked facts, with their plausibility warnings (evidence files are looked for beside the
    facts file). `resolve` replaces the pack search (a batch remembers the packs it found);
    `edit` changes the facts read before they are checked (a what-if: `--set`)."""
    _, pack, ward = load_facts(path, pack_option, display_name, packs_dir, resolve, edit)
    return pack, ward


def load_facts(path: Path, pack_option: str | None = None,
               display_name: str | None = None,
               packs_dir: str | None = None,
               resolve: PackResolver | None = None,
               edit: DocumentEdit | None = None) -> tuple[FactsDocument, Pack, WardFacts]:
    """`load_ward`, with the document read (a JSON facts file or a facts workbook: the
    workbook's errors and warnings name the sheet and cell)."""
    if resolve is None:
        def resolve(pack_id: str | None, year: int | None, name: str) -> Pack:
            return resolve_pack(pack_option, pack_id, year, name, packs_dir=packs_dir)
    if is_workbook(path):
        from cchc.engine.facts.workbook_read import read_facts_workbook  # openpyxl: only here

        document, pack = read_facts_workbook(path, display_name, resolve)
    else:
        document = read_facts(path, display_name)
        pack = resolve(document.pack, document.year, document.name)
    if edit is not None:
        document = edit(document, pack)
    try:
        ward = check_facts(document, pack)
    except InputError as error:
        error = document.relocate(error)
        error.problems = [*document.problems, *error.problems]
        raise error from None
    if document.problems:  # a workbook's cells refused, the rest of its facts fine
        raise InputError(document.name, list(document.problems))
    folder = None if str(path) == "-" else path.parent
    warnings = plausibility_warnings(document, ward, pack, folder)
    if document.places:  # a workbook: every place a report names is a sheet and a cell
        warnings = [dataclasses.replace(item, json_path=document.place(item.json_path))
                    for item in warnings]
        ward = dataclasses.replace(ward, current={
            name: dataclasses.replace(item, path=document.place(item.path))
            for name, item in ward.current.items()}, previous={
            name: dataclasses.replace(item, path=document.place(item.path))
            for name, item in ward.previous.items()})
    return document, pack, dataclasses.replace(ward, warnings=tuple(warnings))
