"""A JSON tree that keeps what `json.loads` would lose: number tokens as typed, duplicate keys,
and strings that cannot be encoded (lone surrogates) — so a mutated facts file is written back
exactly as the mutation meant it.

`Raw` is JSON text written as is (a number token, or any fragment such as 1 000 nested
brackets); `Obj` is an object as its (key, value) pairs.
"""

from __future__ import annotations

import json
import re
from typing import Any


class Raw(str):
    """JSON text written as is: a number's token (`1e-1000000`) or any fragment."""

    __slots__ = ()


class Obj(list):
    """A JSON object as its list of (key, value) pairs; keys may repeat."""

    __slots__ = ()

    def get(self, key: str, default: Any = None) -> Any:
        for k, v in self:
            if k == key:
                return v
        return default

    def set(self, key: str, value: Any) -> None:
        for index, (k, _) in enumerate(self):
            if k == key:
                self[index] = (k, value)
                return
        self.append((key, value))


def loads(text: str) -> Any:
    """Parse JSON into the tree (numbers and NaN/Infinity as Raw, objects as Obj)."""
    return json.loads(text, object_pairs_hook=Obj, parse_int=Raw, parse_float=Raw,
                      parse_constant=Raw)


def from_python(value: Any) -> Any:
    """A plain Python value (as yaml.safe_load or json.loads gives it) as a tree."""
    if isinstance(value, dict):
        return Obj((str(k), from_python(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return [from_python(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return Raw(repr(value))
    return str(value)  # dates and the like: as text, as a facts file writes them


_SURROGATE = re.compile("[\ud800-\udfff]")


def string(text: str) -> str:
    """A JSON string literal; lone surrogates become \\uXXXX escapes (they have no UTF-8)."""
    out = json.dumps(text, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def dumps(node: Any, indent: int | None = None) -> str:
    """The tree as JSON text (iterative over containers' items; depth is the tree's own)."""
    parts: list[str] = []
    _dump(node, parts, indent, 0)
    return "".join(parts)


def _dump(node: Any, out: list[str], indent: int | None, level: int) -> None:
    if isinstance(node, Raw):
        out.append(str(node))
    elif node is True:
        out.append("true")
    elif node is False:
        out.append("false")
    elif node is None:
        out.append("null")
    elif isinstance(node, str):
        out.append(string(node))
    elif isinstance(node, int | float):
        out.append(repr(node))
    elif isinstance(node, Obj | list):
        is_obj = isinstance(node, Obj)
        out.append("{" if is_obj else "[")
        sep = "\n" + " " * (indent * (level + 1)) if indent is not None else ""
        for index, item in enumerate(node):
            if index:
                out.append(",")
            out.append(sep)
            if is_obj:
                key, value = item
                out.append(string(str(key)))
                out.append(": ")
                _dump(value, out, indent, level + 1)
            else:
                _dump(item, out, indent, level + 1)
        if node and indent is not None:
            out.append("\n" + " " * (indent * level))
        out.append("}" if is_obj else "]")
    else:
        out.append(string(str(node)))


Path = tuple[Any, ...]


def positions(node: Any, limit: int = 20000) -> list[Path]:
    """Every position (path of keys / indexes) in the tree, root first, at most `limit`."""
    out: list[Path] = [()]
    stack: list[tuple[Any, Path]] = [(node, ())]
    while stack and len(out) < limit:
        current, path = stack.pop()
        if isinstance(current, Obj):
            for index, (_, value) in enumerate(current):
                child = (*path, index)
                out.append(child)
                stack.append((value, child))
        elif isinstance(current, list):
            for index, value in enumerate(current):
                child = (*path, index)
                out.append(child)
                stack.append((value, child))
    return out


def get(node: Any, path: Path) -> Any:
    for step in path:
        node = node[step][1] if isinstance(node, Obj) else node[step]
    return node


def put(node: Any, path: Path, value: Any) -> Any:
    """The tree with the value at `path` replaced (the root itself when path is empty)."""
    if not path:
        return value
    parent = get(node, path[:-1])
    step = path[-1]
    if isinstance(parent, Obj):
        parent[step] = (parent[step][0], value)
    else:
        parent[step] = value
    return node


def remove(node: Any, path: Path) -> Any:
    if not path:
        return node
    parent = get(node, path[:-1])
    del parent[path[-1]]
    return node


def find_key(node: Any, *keys: str) -> Path | None:
    """The position of node[keys[0]][keys[1]]…, following object keys."""
    path: list[Any] = []
    for key in keys:
        if not isinstance(node, Obj):
            return None
        for index, (k, v) in enumerate(node):
            if k == key:
                path.append(index)
                node = v
                break
        else:
            return None
    return tuple(path)
