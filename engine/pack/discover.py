"""Find rule packs by id: in packs folders outside the tool, then among the shipped packs.

The folders are searched in this order, the first pack of an id winning:

1. `--packs-dir DIR` (the command line);
2. `$CCHC_SCORE_PACKS`: one folder, or several separated by `os.pathsep` (`:`; `;` on
   Windows), earlier ones first;
3. the per-user folder, `platformdirs.user_data_dir("cchc-score")/packs`
   (`~/.local/share/cchc-score/packs` on Linux, honouring `$XDG_DATA_HOME`);
4. the packs shipped inside the tool (`cchc.rules`).

A packs folder holds one folder per pack (a folder with a `pack.yaml`); a pack's id is its
`pack.yaml`'s `id`, whatever its folder is called (the shipped packs' folders are named by their
id). A pack of an id found earlier *shadows* the later ones: `cchc-score packs` shows both.
A folder named on the command line that does not exist is a usage error; an environment or user
folder that does not exist is skipped, as `PATH` entries are.

This module only finds folders and reads their manifest through the reader it is given
(`load.read_manifest`), so that `load` may use it without an import cycle. It never loads rules.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import platformdirs

from cchc.engine.errors import CchcError, CommandLineError, usage_error
from cchc.rules import PACK_MANIFEST, shipped_packs
from cchc.rules.schema import PackMeta

if TYPE_CHECKING:  # only the type is needed; importlib.resources.abc is 3.11+
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

PACKS_ENV = "CCHC_SCORE_PACKS"
PACKS_DIR_OPTION = "--packs-dir"

Source = Literal["packs_dir", "env", "user", "shipped"]
SOURCES: tuple[Source, ...] = ("packs_dir", "env", "user", "shipped")
# How each source is shown: what a person typed or would look for.
SOURCE_LABELS: dict[Source, tuple[str, str]] = {
    "packs_dir": (PACKS_DIR_OPTION, PACKS_DIR_OPTION),
    "env": (f"${PACKS_ENV}", f"${PACKS_ENV}"),
    "user": ("thư mục người dùng", "user folder"),
    "shipped": ("đi kèm công cụ", "shipped"),
}

ManifestReader = Callable[["Traversable", str], PackMeta]

@dataclass(frozen=True)
class SearchDir:
    """One folder searched for packs, and where it was named."""

    source: Source
    path: Path


@dataclass(frozen=True)
class FoundPack:
    """A pack folder found by the search, with its manifest (or why it cannot be read).

    `shadowed_by` is the path of the pack of the same id found earlier, which wins; `shadows`
    the paths of those it hides. `twin` is set when another folder of the same search folder
    has the same id (which of them is meant cannot be told: resolving that id is refused).
    """

    source: Source
    root: str  # the folder searched ("" for the shipped packs)
    folder: Traversable
    path: str
    meta: PackMeta | None
    error: CchcError | None = None
    shadowed_by: str | None = None
    shadows: tuple[str, ...] = ()
    twin: str | None = None

    @property
    def id(self) -> str | None:
        """The manifest's id; None when the manifest cannot be read."""
        return None if self.meta is None else self.meta.id

    @property
    def active(self) -> bool:
        """Whether resolving its id finds this pack."""
        return self.meta is not None and self.shadowed_by is None


def user_packs_dir() -> Path:
    """The per-user packs folder (it may not exist)."""
    return Path(platformdirs.user_data_dir("cchc-score", appauthor=False)) / "packs"


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a NUL or an over-long name
        return False


def search_dirs(packs_dir: str | None = None) -> list[SearchDir]:
    """The folders searched before the shipped packs, in order. A `packs_dir` that is not a
    folder is a usage error (exit status 2); other folders that do not exist are left out."""
    out: list[SearchDir] = []
    if packs_dir is not None:
        path = Path(packs_dir)
        if not _is_dir(path):
            raise usage_error(f"{PACKS_DIR_OPTION} {packs_dir}",
                              "không có thư mục này", "no such folder",
                              "một thư mục chứa các thư mục gói quy tắc (mỗi thư mục có "
                              "pack.yaml)", "a folder holding rule-pack folders (each with a "
                              "pack.yaml)")
        out.append(SearchDir("packs_dir", path))
    for entry in os.environ.get(PACKS_ENV, "").split(os.pathsep):
        if entry and _is_dir(Path(entry)):
            out.append(SearchDir("env", Path(entry)))
    user = user_packs_dir()
    if _is_dir(user):
        out.append(SearchDir("user", user))
    return out


def _pack_folders(root: Path) -> list[Path]:
    """The folders of `root` that hold a pack manifest, by name."""
    try:
        entries = sorted(root.iterdir(), key=lambda entry: entry.name)
    except OSError:
        return []
    folders = []
    for entry in entries:
        try:
            if entry.is_dir() and (entry / PACK_MANIFEST).is_file():
                folders.append(entry)
        except OSError:
            continue
    return folders


def _read(reader: ManifestReader, source: Source, root: str, folder: Traversable,
          path: str, display: str) -> FoundPack:
    try:
        meta = reader(folder, display)
    except CchcError as error:
        return FoundPack(source, root, folder, path, None, error)
    return FoundPack(source, root, folder, path, meta)


def discover(reader: ManifestReader, packs_dir: str | None = None) -> list[FoundPack]:
    """Every pack found, in search order (a later one of the same id is shadowed)."""
    found: list[FoundPack] = []
    for place in search_dirs(packs_dir):
        for folder in _pack_folders(place.path):
            found.append(_read(reader, place.source, str(place.path), folder, str(folder),
                               str(folder)))
    for name, shipped in shipped_packs().items():
        found.append(_read(reader, "shipped", "", shipped, str(shipped), name))
    return _mark_shadows(found)


def _mark_shadows(found: list[FoundPack]) -> list[FoundPack]:
    winner: dict[str, int] = {}
    hidden: dict[int, list[str]] = {}
    out = list(found)
    for index, item in enumerate(found):
        if item.id is None:
            continue
        first = winner.setdefault(item.id, index)
        if first == index:
            continue
        out[index] = replace(item, shadowed_by=found[first].path)
        hidden.setdefault(first, []).append(item.path)
        if found[first].root == item.root:
            out[first] = replace(out[first], twin=item.path)
    for index, paths in hidden.items():
        out[index] = replace(out[index], shadows=tuple(paths))
    return out


def lookup(found: list[FoundPack], wanted: str, option: str) -> FoundPack | None:
    """The pack `wanted` names, if one was found. A pack folder named `wanted` whose manifest
    cannot be read, found before any pack of that id, raises that error (it is most likely the
    one meant); two folders of one packs folder with that id are a usage error naming both."""
    for item in found:
        if item.active and item.id == wanted:
            if item.twin is not None:
                raise _twin_error(item, option)
            return item
        if item.error is not None and Path(item.path).name == wanted:
            raise item.error
    return None


def _twin_error(item: FoundPack, option: str) -> CommandLineError:
    return usage_error(option, f"hai thư mục gói quy tắc cùng mã '{item.id}' trong "
                       f"{item.root}: {item.path}, {item.twin}",
                       f"two rule-pack folders with the id '{item.id}' in {item.root}: "
                       f"{item.path}, {item.twin}",
                       "mỗi mã một thư mục: đổi `id` trong pack.yaml của một thư mục, hoặc "
                       "chọn thư mục bằng --pack THƯ_MỤC",
                       "one folder per id: change the `id` in one folder's pack.yaml, or "
                       "choose the folder with --pack DIR")


def active_ids(found: list[FoundPack]) -> list[str]:
    """The ids that resolve, in search order."""
    return [item.id for item in found if item.active and item.id is not None]
