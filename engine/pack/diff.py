"""Compare two rule packs: what was added, removed or changed, field by field.

`diff_packs(a, b)` compares the loaded packs' pydantic models *generically*: each item is dumped
(`model_dump(by_alias=True)`, so paths use the YAML names, e.g. `calendar.covers.from`) and the two
dumps are walked key by key, so a field the schema gains later is compared with no change here.
Numbers are compared as numbers (`85` and `85.0` are the same threshold; `true` is not `1`);
dates become ISO strings; every value kept is plain JSON (dict, list, str, int, float, bool,
None).

- rules (as the engine uses them: the scoring method resolved from the convention, with the
  convention's id), areas, bands, conventions and requirements are matched by `id`; facts and
  metrics by name;
- `pack` is the rest of `pack.yaml` (id, version, title, year, plan, max_points, and whatever the
  schema adds), compared as one item;
- inside an item, a list of objects that all carry an `id` is matched by id (path `x[id=a]`);
  another list of objects element by element (`x[0]`); a list of plain values as a whole.

The result is typed data, never text: `cchc.reports.pack_diff` renders it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from cchc.engine.pack.model import Pack

ChangeKind = Literal["changed", "added", "removed"]
# The sections of a pack diff, in the order they are reported (`pack` comes last).
SECTIONS = ("rules", "areas", "bands", "conventions", "facts", "metrics", "requirements")
# pack.yaml fields compared as sections of their own, not as part of `pack`
_META_SECTIONS = ("areas", "bands", "conventions")


@dataclass(frozen=True)
class Change:
    """One difference inside an item: `path` (dotted, from the item) and the two values.

    `kind` is `added` when the path is absent from the first pack (`before` is then None),
    `removed` when it is absent from the second (`after` None), `changed` otherwise.
    """

    path: str
    before: Any
    after: Any
    kind: ChangeKind = "changed"


@dataclass(frozen=True)
class Item:
    """An item present on one side only: its id and its whole value."""

    id: str
    value: Any


@dataclass(frozen=True)
class ChangedItem:
    """An item present in both packs, with what differs."""

    id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class SectionDiff:
    """One kind of item (rules, areas, …): added, removed and changed, in pack order."""

    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    changed: tuple[ChangedItem, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether nothing in this section differs."""
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class PackSide:
    """Which pack one side of the comparison is."""

    id: str
    version: str
    sha256: str
    location: str
    shipped: bool


@dataclass(frozen=True)
class PackDiff:
    """Everything that differs from pack `before` to pack `after`."""

    before: PackSide
    after: PackSide
    sections: dict[str, SectionDiff] = field(default_factory=dict)
    pack: tuple[Change, ...] = ()

    @property
    def identical(self) -> bool:
        """Whether the two packs read the same (their files may still differ in comments)."""
        return not self.pack and all(section.empty for section in self.sections.values())


def plain(value: Any) -> Any:
    """A dumped value as plain JSON data: Decimal → int or float, date → ISO string."""
    if isinstance(value, BaseModel):
        return plain(value.model_dump(by_alias=True))
    if isinstance(value, bool) or value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, Iterable):
        return [plain(item) for item in value]
    return str(value)


def _same(a: Any, b: Any) -> bool:
    """Equal as data: numbers by value, but a yes/no is never a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """A list of objects that all have a distinct `id`, by id; None otherwise."""
    if not items or not all(isinstance(item, dict) and isinstance(item.get("id"), str)
                            for item in items):
        return None
    out = {item["id"]: item for item in items}
    return out if len(out) == len(items) else None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def compare(before: Any, after: Any, path: str = "") -> list[Change]:
    """Every difference between two plain values, as dotted paths from the top."""
    if isinstance(before, dict) and isinstance(after, dict):
        return _by_key(before, after, lambda key: _join(path, key))
    if isinstance(before, list) and isinstance(after, list):
        changes: list[Change]
        keyed_before, keyed_after = _keyed(before), _keyed(after)
        if keyed_before is not None and keyed_after is not None:
            return compare_keyed(keyed_before, keyed_after, path)
        if all(isinstance(x, dict) for x in [*before, *after]) and before and after:
            changes = []
            for index in range(max(len(before), len(after))):
                where = f"{path}[{index}]"
                if index >= len(after):
                    changes.append(Change(where, before[index], None, "removed"))
                elif index >= len(before):
                    changes.append(Change(where, None, after[index], "added"))
                else:
                    changes += compare(before[index], after[index], where)
            return changes
        if len(before) == len(after) and all(
                _same(x, y) for x, y in zip(before, after, strict=True)):
            return []
        return [Change(path, before, after)]
    if isinstance(before, dict | list) or isinstance(after, dict | list):
        return [] if before == after else [Change(path, before, after)]
    return [] if _same(before, after) else [Change(path, before, after)]


def compare_keyed(before: dict[str, Any], after: dict[str, Any], path: str) -> list[Change]:
    """Two lists of objects matched by id: an item added or removed is one change."""
    return _by_key(before, after, lambda key: f"{path}[id={key}]")


def _by_key(before: dict[str, Any], after: dict[str, Any],
            where_of: Callable[[str], str]) -> list[Change]:
    """Two mappings key by key: removed and changed in the first's order, added after."""
    changes: list[Change] = []
    for key in [*before, *(k for k in after if k not in before)]:
        where = where_of(key)
        if key not in after:
            changes.append(Change(where, before[key], None, "removed"))
        elif key not in before:
            changes.append(Change(where, None, after[key], "added"))
        else:
            changes += compare(before[key], after[key], where)
    return changes


def diff_section(before: dict[str, Any], after: dict[str, Any]) -> SectionDiff:
    """Items by id on each side (plain values), in order: removed and changed in the first
    pack's order, added in the second's."""
    return SectionDiff(
        added=tuple(Item(key, value) for key, value in after.items() if key not in before),
        removed=tuple(Item(key, value) for key, value in before.items() if key not in after),
        changed=tuple(ChangedItem(key, tuple(changes)) for key, value in before.items()
                      if key in after and (changes := compare(value, after[key]))),
    )


def _by_id(models: Iterable[Any]) -> dict[str, Any]:
    return {model.id: plain(model) for model in models}


def _by_name(models: Mapping[str, Any]) -> dict[str, Any]:
    return {name: plain(model) for name, model in models.items()}


def _sections(pack: Pack) -> dict[str, dict[str, Any]]:
    return {
        "rules": _by_id(pack.rules),
        "areas": _by_id(pack.meta.areas),
        "bands": _by_id(pack.meta.bands),
        "conventions": _by_id(pack.meta.conventions),
        "facts": _by_name(pack.facts),
        "metrics": _by_name(pack.metrics),
        "requirements": _by_id(pack.requirements),
    }


def _meta(pack: Pack) -> dict[str, Any]:
    dumped: dict[str, Any] = plain(pack.meta)
    return {key: value for key, value in dumped.items() if key not in _META_SECTIONS}


def _side(pack: Pack) -> PackSide:
    return PackSide(pack.meta.id, pack.meta.version, pack.sha256, pack.location, pack.shipped)


def diff_packs(before: Pack, after: Pack) -> PackDiff:
    """What differs from pack `before` to pack `after`."""
    first, second = _sections(before), _sections(after)
    return PackDiff(_side(before), _side(after),
                    {name: diff_section(first[name], second[name]) for name in SECTIONS},
                    tuple(compare(_meta(before), _meta(after))))
