"""The stages' import graph, as built by grimp (import-linter's engine), function-level imports
included: no cycle anywhere, durable_rules imported by exactly one module, the stages one way.

`lint-imports` checks the layer contracts in setup.cfg; this adds what a layers contract cannot
say, and runs with the tests so a newcomer sees it fail where they broke it."""

from __future__ import annotations

import grimp
import pytest

STAGES = ("cchc.rules", "cchc.engine", "cchc.scoring", "cchc.reports", "cchc.cli")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*STAGES, include_external_packages=True)


def _internal(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    modules = {m for m in graph.modules if m.startswith(STAGES)}
    return {m: {t for t in graph.find_modules_directly_imported_by(m) if t in modules}
            for m in modules}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles(graph):
    assert _cycles(_internal(graph)) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_durable_rules_is_imported_by_one_module(graph):
    users = {m for m in graph.modules if m.startswith(STAGES)
             and graph.find_modules_directly_imported_by(m) & {"durable", "durable_rules_engine"}}
    assert users == {"cchc.engine.durable"}


@pytest.mark.parametrize("lower", range(len(STAGES)))
def test_no_stage_imports_a_later_one(graph, lower):
    edges = _internal(graph)
    later = STAGES[lower + 1:]
    upward = sorted(f"{m} -> {t}" for m, targets in edges.items() if m.startswith(STAGES[lower])
                    for t in targets if t.startswith(later))
    assert upward == []
