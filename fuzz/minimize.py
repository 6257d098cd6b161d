"""Shrink a finding's input while it still shows the same finding, within a deadline.

Facts: first by JSON structure (drop object entries and list items in halves, quarters, …,
then shorten long strings and number tokens), then by lines, then by bytes. Pack: first put
changed files back as shipped, then drop lines of each changed file. Each candidate runs under
the same per-input time limit as the fuzzing; a candidate counts only if it gives the same class
(a timeout: the same stage, wherever the alarm happened to land).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from fuzz import jsontree as jt
from fuzz.gen_pack import Special

Test = Callable[[Any], bool]


def same_class(key: str, other: str) -> bool:
    if key.startswith("timeout"):
        return other.startswith("timeout") and key.split(" @ ")[0] == other.split(" @ ")[0]
    return key == other


class Budget:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.calls = 0

    def left(self) -> bool:
        return time.monotonic() < self.deadline


def _cached(test: Callable[[Any], bool], budget: Budget,
            digest: Callable[[Any], str]) -> Callable[[Any], bool]:
    seen: dict[str, bool] = {}

    def run(candidate: Any) -> bool:
        if not budget.left():
            return False
        key = digest(candidate)
        if key not in seen:
            budget.calls += 1
            seen[key] = test(candidate)
        return seen[key]

    return run


def ddmin(items: list, test: Callable[[list], bool], budget: Budget) -> list:
    """Drop chunks of `items` (halves, then quarters, …) while `test` holds."""
    n = 2
    while items and budget.left():
        chunk = max(1, -(-len(items) // n))
        removed = False
        for start in range(0, len(items), chunk):
            candidate = items[:start] + items[start + chunk:]
            if test(candidate):
                items = candidate
                n = max(n - 1, 2)
                removed = True
                break
        if not removed:
            if chunk == 1:
                break
            n = min(len(items), n * 2)
    return items


# --- facts ------------------------------------------------------------------------------------


def minimize_facts(data: bytes, test: Callable[[bytes], bool], seconds: float) -> bytes:
    budget = Budget(seconds)
    run = _cached(test, budget, lambda b: hashlib.sha256(b).hexdigest())
    best = data
    try:
        tree = jt.loads(data.decode("utf-8"))
    except (ValueError, RecursionError, UnicodeDecodeError):
        tree = None
    if tree is not None:
        def encode(node: Any) -> bytes:
            return jt.dumps(node, indent=1).encode("utf-8", "surrogatepass")

        first = _first_cut(tree)  # most of a facts file is beside the point: try that first
        if first is not None and run(encode(first)):
            tree = first
        if first is tree or run(encode(tree)):
            tree = _shrink_tree(tree, lambda t: run(encode(t)), budget)
            if len(encode(tree)) < len(best):
                best = encode(tree)
    lines = best.split(b"\n")
    if len(lines) > 1:
        lines = ddmin(lines, lambda ls: run(b"\n".join(ls)), budget)
        best = b"\n".join(lines)
    if len(best) <= 4096:
        chars = ddmin(list(best), lambda cs: run(bytes(cs)), budget)
        best = bytes(chars)
    return best


def _first_cut(tree: Any) -> Any:
    """The tree with every fact but the hostile-looking ones dropped (a cheap first guess)."""
    if not isinstance(tree, jt.Obj):
        return None
    facts = tree.get("facts")
    if not isinstance(facts, jt.Obj) or len(facts) < 4:
        return None
    kept = jt.Obj((k, v) for k, v in facts if len(jt.dumps(v)) > 400 or not _ordinary(k))
    cut = jt.Obj((k, kept if k == "facts" else v) for k, v in tree)
    return cut


def _ordinary(key: str) -> bool:
    return key.isascii() and key.replace("_", "").isalnum() and len(key) < 80


def _shrink_tree(tree: Any, test: Callable[[Any], bool], budget: Budget) -> Any:
    queue: list[jt.Path] = [()]
    while queue and budget.left():
        path = queue.pop(0)
        try:
            node = jt.get(tree, path)
        except (IndexError, KeyError, TypeError):
            continue
        if isinstance(node, list) and node:  # Obj is a list too
            kept = ddmin(list(node), lambda ch, t=tree, p=path: test(_replace(t, p, ch)), budget)
            tree = _replace(tree, path, kept)
            node = jt.get(tree, path)
            queue.extend((*path, i) for i in range(len(node)))
        elif isinstance(node, str) and len(node) > 16:
            shorter = node
            while len(shorter) > 16 and budget.left():
                half = type(node)(shorter[: len(shorter) // 2])
                if test(_replace(tree, path, half)):
                    shorter = half
                    tree = _replace(tree, path, half)
                else:
                    break
    return tree


def _replace(tree: Any, path: jt.Path, value: Any) -> Any:
    """A copy of `tree` with the node at `path` replaced (containers copied along the path)."""
    if not path:
        return type(tree)(value) if isinstance(tree, list) and isinstance(value, list) else value
    root = _copy_shallow(tree)
    parent = root
    for step in path[:-1]:
        child = parent[step][1] if isinstance(parent, jt.Obj) else parent[step]
        child = _copy_shallow(child)
        if isinstance(parent, jt.Obj):
            parent[step] = (parent[step][0], child)
        else:
            parent[step] = child
        parent = child
    step = path[-1]
    old = parent[step][1] if isinstance(parent, jt.Obj) else parent[step]
    if isinstance(old, list) and isinstance(value, list):
        value = type(old)(value)
    if isinstance(parent, jt.Obj):
        parent[step] = (parent[step][0], value)
    else:
        parent[step] = value
    return root


def _copy_shallow(node: Any) -> Any:
    return type(node)(node) if isinstance(node, list) else node


# --- packs ------------------------------------------------------------------------------------


def shrink_size(make: Callable[[int], Any], size: int, test: Callable[[Any], bool],
                seconds: float) -> tuple[int, Any]:
    """The smallest size (binary search, assuming bigger is worse) whose input still shows the
    finding, and that input."""
    budget = Budget(seconds)
    low, high = 1, size
    best = make(size)
    while low < high and budget.left():
        middle = (low + high) // 2
        candidate = make(middle)
        if test(candidate):
            high, best = middle, candidate
        else:
            low = middle + 1
    return high, best


def _digest_overrides(overrides: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    for rel in sorted(overrides):
        value = overrides[rel]
        digest.update(rel.encode() + b"\0")
        if isinstance(value, bytes):
            digest.update(hashlib.sha256(value).digest())
        else:
            digest.update(repr(value).encode())
    return digest.hexdigest()


def minimize_pack(overrides: dict[str, Any], test: Callable[[dict[str, Any]], bool],
                  seconds: float) -> dict[str, Any]:
    budget = Budget(seconds)
    run = _cached(test, budget, _digest_overrides)
    best = dict(overrides)
    for rel in list(best):  # files that need not change
        if len(best) > 1:
            candidate = {k: v for k, v in best.items() if k != rel}
            if run(candidate):
                best = candidate
    for rel, value in list(best.items()):
        if not isinstance(value, bytes) or isinstance(value, Special):
            continue
        lines = value.split(b"\n")
        kept = ddmin(lines, lambda ls, rel=rel: run({**best, rel: b"\n".join(ls)}), budget)
        best[rel] = b"\n".join(kept)
    return best
