"""A cache of loaded rule packs on disk: a command reads a pack's YAML, checks it and builds its
models once, and later commands load the result in a few milliseconds. Beside each pack are
kept what is made from it alone (its compiled durable_rules rulesets, `cached_build`), and each
manifest read while looking for packs (`cached`).

Where: `$CCHC_SCORE_CACHE_DIR` if it is set (the value `off` turns the cache off), else
`platformdirs.user_cache_dir("cchc-score")/packs` (`~/.cache/cchc-score/packs` on Linux,
honouring `$XDG_CACHE_HOME`).

Key: a sha256 over the cache's format, the tool's version, Python's version, pydantic's
version, the size and time of the engine's modules and the schema (so an edited checkout never
reads an entry its old code wrote), the name the pack is shown by, and the name and sha256 of
every file of the pack (of pack.yaml alone, for a manifest). Every file is read and hashed on
every run, as loading hashes them: a changed byte, an added or removed rule file is a new key.
A pack changed in memory after loading (`dataclasses.replace`, a rule replaced in place) has
no key: what is made from it is made afresh.

Entry: one file per key, a pickle (of the `Pack`'s parts), written whole or not at all (a
temporary file in the same folder, then `os.replace`); at most `MAX_ENTRIES` are kept, the
least recently used removed first. An entry that is missing, truncated, corrupt, unreadable,
not ours (another owner), another version's or not the pack asked for is ignored, and the pack
is loaded from its files and the entry written again; a cache that cannot be written is
skipped. A pack that fails to load is never cached, so its errors are always the files' own.
The cache never changes a result: it holds what loading the same bytes gives.

Trust: unpickling runs code. The cache lives in the user's own cache folder (or the folder the
user names), which is trusted as much as the installed code itself: whoever can write there can
already change the user's programs and files. Entries owned by another user are never read.
Do not point `CCHC_SCORE_CACHE_DIR` at a folder that others can write to.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cchc.engine.pack.model import Pack
from cchc.rules.schema import PackMeta, Rule

if TYPE_CHECKING:  # only the type is needed; importlib.resources.abc is 3.11+
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

CACHE_ENV = "CCHC_SCORE_CACHE_DIR"
OFF = "off"
FORMAT = b"cchc-score/pack-cache/1"
MAX_ENTRIES = 64
_SUFFIX = ".pack"
# The modules whose code decides what a pack's files load and compile to (their size and time
# are keyed): the engine's own, its pack and evaluate stages, and the schema.
_ENGINE = Path(__file__).parents[1]
_CODE = (_ENGINE, _ENGINE / "pack", _ENGINE / "evaluate")
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The folder of the cache, or None when it is turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None and chosen.strip().lower() == OFF:
        return None
    if chosen:
        return Path(chosen)
    import platformdirs  # only when no folder is named: tests and scripts name one

    return Path(platformdirs.user_cache_dir("cchc-score")) / "packs"


@functools.cache
def _code_stamp() -> bytes:
    """Version and code fingerprint shared by every key of this process."""
    import pydantic

    from cchc.engine.version import tool_version
    from cchc.rules import schema

    parts = [FORMAT, tool_version().encode(), sys.version.encode(),
             sys.implementation.cache_tag.encode(), pydantic.VERSION.encode()]
    sources = [Path(schema.__file__)]
    for place in _CODE:
        sources += sorted(place.glob("*.py"))
    for source in sources:
        try:
            status = source.stat()
        except OSError:
            continue
        parts.append(f"{source.name}:{status.st_size}:{status.st_mtime_ns}".encode())
    return b"\0".join(parts)


def pack_key(display: str, hashes: dict[str, str]) -> str:
    """The key of a pack shown as `display` whose files have these sha256s."""
    digest = hashlib.sha256(_code_stamp())
    digest.update(b"\0" + display.encode("utf-8", "surrogatepass"))
    for name, file_hash in sorted(hashes.items()):
        digest.update(f"\0{name}\0{file_hash}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _parts(pack: Pack) -> tuple[Any, ...]:
    """What an entry holds: the Pack's fields, without the folder (where it was read from is
    the caller's; the lookups the Pack builds are made again)."""
    return (pack.meta, pack.facts, pack.metrics, pack.requirements, pack.rules, pack.location,
            dict(pack.file_hashes), dict(pack.rule_files), pack.shipped)


def _load(path: Path, key: str) -> Any:
    """The object an entry holds, or None if it is missing, damaged, not ours or not `key`'s."""
    try:
        with path.open("rb") as stream:
            if hasattr(os, "getuid") and os.fstat(stream.fileno()).st_uid != os.getuid():
                return None  # not written by this user: never unpickled
            data = stream.read()
    except OSError:
        return None
    head = FORMAT + b"\n" + key.encode() + b"\n"
    if not data.startswith(head):
        return None
    try:
        return pickle.loads(data[len(head):])
    except Exception:  # any damage to an entry means: build it again
        return None


def _read(path: Path, key: str) -> Pack | None:
    try:
        meta, facts, metrics, requirements, rules, location, hashes, rule_files, shipped = \
            _load(path, key)
        if not isinstance(meta, PackMeta) or not isinstance(rules, list) \
                or not all(isinstance(rule, Rule) for rule in rules):
            return None
        pack = Pack(meta=meta, facts=facts, metrics=metrics, requirements=requirements,
                    rules=rules, location=location, file_hashes=hashes,
                    rule_files=rule_files, shipped=shipped)
    except Exception:  # not the parts of a Pack (or no entry): load the files
        return None
    return pack


def _entries(folder: Path) -> Iterator[Path]:
    try:
        yield from (entry for entry in folder.iterdir() if entry.name.endswith(_SUFFIX))
    except OSError:
        return


def _write(folder: Path, path: Path, key: str, value: object) -> None:
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the user's alone
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=_SUFFIX + "~")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(FORMAT + b"\n" + key.encode() + b"\n" + payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(folder)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # a cache that cannot be written is no cache


def _prune(folder: Path) -> None:
    """Keep the MAX_ENTRIES most recently used entries."""
    entries = []
    for entry in _entries(folder):
        try:
            entries.append((entry.stat().st_mtime_ns, entry))
        except OSError:
            continue
    for _, entry in sorted(entries, reverse=True)[MAX_ENTRIES:]:
        entry.unlink(missing_ok=True)


def file_hashes(folder: Traversable, names: Callable[[Traversable], list[str] | None],
                max_bytes: int) -> dict[str, str] | None:
    """The sha256 of every file `names(folder)` lists ('/' paths), as loading records them; None
    when one cannot be read or is too large (loading then says so)."""
    listed = names(folder)
    if listed is None:
        return None
    hashes = {}
    for relative in listed:
        try:
            with folder.joinpath(*relative.split("/")).open("rb") as stream:
                raw = stream.read(max_bytes + 1)
        except (OSError, ValueError):
            return None
        if len(raw) > max_bytes:
            return None
        hashes[relative] = hashlib.sha256(raw).hexdigest()
    return hashes


def cached_pack(display: str, hashed: Callable[[], dict[str, str] | None],
                load: Callable[[], Pack]) -> Pack:
    """The pack shown as `display` whose files hash to `hashed()`: from the cache, or `load()`
    (then cached when its files are still those hashed)."""
    folder = cache_dir()
    hashes = hashed() if folder is not None else None
    if folder is None or hashes is None:
        return load()
    key = pack_key(display, hashes)
    path = folder / (key + _SUFFIX)
    pack = _read(path, key)
    if pack is not None and pack.file_hashes == hashes and pack.location == display:
        _touch(path)
    else:
        pack = load()
        if pack.file_hashes != hashes:  # edited while it was being read: not cached
            return pack
        _write(folder, path, key, _parts(pack))
    pack.cache_key, pack.cache_contents = key, _contents(pack)
    return pack


def _contents(pack: Pack) -> tuple[object, ...]:
    """Everything a Pack holds, one level down (the models themselves are frozen)."""
    return (pack.meta, pack.location, *pack.rules, *pack.requirements,
            *pack.facts.items(), *pack.metrics.items())


def loaded_key(pack: Pack) -> str | None:
    """The key of the files `pack` was loaded from, if it still holds exactly what it was
    loaded with (a rule replaced in place afterwards makes it another pack: no key)."""
    if pack.cache_key is None:
        return None
    now = _contents(pack)
    if len(now) != len(pack.cache_contents) or any(
            part is not before and part != before
            for part, before in zip(now, pack.cache_contents, strict=True)):
        return None
    return pack.cache_key


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept by the pruning


def cached_build(pack: Pack, kind: str, kind_type: type[T], build: Callable[[], T]) -> T:
    """What `build()` makes of a pack loaded from its files (e.g. its compiled rulesets,
    `kind` "compiled"), kept beside the pack's own entry: the same pack's bytes and the same
    code give the same result. A pack made otherwise (built in memory, changed with
    `dataclasses.replace` or in place) is always built."""
    return cached(kind, loaded_key(pack), kind_type, build)


def cached(kind: str, source: str | Callable[[], str | None] | None, kind_type: type[T],
           build: Callable[[], T]) -> T:
    """What `build()` makes, kept under `kind` and `source` (a digest of everything it is made
    from but the code, which the key adds; or a function giving it, called only when the cache
    is on); built every time when `source` is None."""
    folder = cache_dir()
    if folder is not None and callable(source):
        source = source()
    if folder is None or source is None or callable(source):
        return build()
    digest = hashlib.sha256(_code_stamp())
    digest.update(f"\0{kind}\0{source}".encode("utf-8", "surrogatepass"))
    key = digest.hexdigest()
    path = folder / (key + _SUFFIX)
    value = _load(path, key)
    if isinstance(value, kind_type):
        _touch(path)
        return value
    value = build()
    _write(folder, path, key, value)
    return value
