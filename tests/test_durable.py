"""Each durable_rules workaround, proven: the hazard is real in the raw engine, and our wrapper
avoids it. (DURABLE_RULES.md lists the hazards.)"""

from __future__ import annotations

import json
import sys
import threading

import durable_rules_engine
import pytest
from wardgen import WardGenerator

from cchc.engine import durable
from cchc.engine.errors import EngineError
from cchc.engine.evaluate.compile import compile_pack
from cchc.engine.evaluate.evaluator import Evaluator

_names = iter(range(10**6))


def _raw_ruleset(definition: dict) -> int:
    return durable_rules_engine.create_ruleset(f"test_raw_{next(_names)}", json.dumps(definition))


def _statuses(evaluator: Evaluator, ward) -> dict[str, tuple[str, int]]:
    return {e.rule.id: (e.branch.kind, e.branch.level) for e in evaluator.evaluate(ward)}


@pytest.fixture(scope="module")
def wards(pack, ward_from):
    generator = WardGenerator(pack, seed=99)
    return [ward_from(generator.ward(i)) for i in range(40)]


def test_no_host_and_no_threads(pack, wards):
    """durable.engine.Host starts two dispatcher threads that race delete_state: never made."""
    before = threading.active_count()
    evaluator = Evaluator(pack)
    for ward in wards:
        evaluator.evaluate(ward)
    assert threading.active_count() == before
    assert "durable.engine" not in sys.modules


def test_more_wards_than_live_sessions_allowed(pack, wards):
    """A ruleset holds at most 1 024 live sessions: one fixed session id, deleted per ward."""
    evaluator = Evaluator(pack)
    first = _statuses(evaluator, wards[0])
    for index in range(1100):
        evaluator.evaluate(wards[index % len(wards)])
    assert _statuses(evaluator, wards[0]) == first


def test_raw_engine_refuses_the_1025th_live_session():
    handle = _raw_ruleset({"r": {"all": [{"m": {"x": 1}}]}})
    with pytest.raises(Exception):  # noqa: B017 - the extension raises a bare Exception/MemoryError
        for index in range(1100):
            _code, state = durable_rules_engine.assert_fact(
                handle, json.dumps({"sid": f"s{index}", "x": 1}))
            durable_rules_engine.start_action_for_state(handle, state)


def test_no_state_leaks_between_wards(pack, wards):
    evaluator = Evaluator(pack)
    alone = [_statuses(Evaluator(pack), ward) for ward in wards[:5]]
    in_turn = [_statuses(evaluator, ward) for ward in wards[:5]]
    assert alone == in_turn


def test_unmatched_fact_without_the_marker_is_caught_not_crashed(pack):
    """A fact no rule matches is an error in durable_rules (and deleting its state segfaults).
    Every compiled area carries a marker; without one the wrapper raises instead of crashing."""
    compiled = compile_pack(pack)
    for area in compiled.areas:
        assert durable.marker_rule(area.area_id)[0] in area.ruleset.definition
    rule = {"r|met|0|None": {"all": [{"m": {"x": 1}}]}}
    bare = durable.Ruleset(f"test_no_marker_{next(_names)}", rule)
    with pytest.raises(EngineError):
        durable.fire((bare,), [{"x": 2}])
    marker, body = durable.marker_rule("rong")
    marked = durable.Ruleset(f"test_marker_{next(_names)}", {**rule, marker: body})
    assert durable.fire((marked,), [durable.new_fact("rong") | {"x": 2}]) == [marker]


def test_raw_engine_limits_a_fact_to_255_properties(pack):
    handle = _raw_ruleset({"r": {"all": [{"m": {"p0": 0}}]}})
    wide = {f"p{i}": i for i in range(300)}
    wide["sid"] = "w"
    with pytest.raises(Exception):  # noqa: B017 - bare error 302 from the extension
        durable_rules_engine.assert_fact(handle, json.dumps(wide))
    for area in compile_pack(pack).areas:  # our facts are split by area and stay narrow
        assert durable.fact_properties(len(area.inputs)) <= durable.MAX_FACT_PROPERTIES
    # the layout's count is the real one: a fact of that many properties is accepted
    names = [f"v{i}" for i in range(3)]
    fact = durable.new_fact("a")
    for name in names:
        durable.put_input(fact, name, "ok", 1, True)
    assert len(fact) + 1 == durable.fact_properties(len(names)) - len(names)  # + sid
    durable.put_input(fact, "v0", "ok", 1, True, at_ceiling=False)  # the 4th, for a ceiling
    assert len(fact) + 1 <= durable.fact_properties(len(names))


def test_raw_engine_compares_numeric_strings_as_text():
    """'9' > 10 holds in durable_rules, which is why the facts check refuses numeric strings."""
    handle = _raw_ruleset({"r": {"all": [{"m": {"$gt": {"x": 10}}}]},
                           "any": {"all": [{"m": {"$ex": {"x": 1}}}]}})
    _code, state = durable_rules_engine.assert_fact(handle, json.dumps({"sid": "a", "x": "9"}))
    fired = []
    result = durable_rules_engine.start_action_for_state(handle, state)
    message = result[1] if result else None
    while message:
        fired.append(json.loads(message).popitem()[0])
        message = durable_rules_engine.complete_and_start_action(handle, state)
    durable_rules_engine.delete_state(handle, "a")
    assert "r" in fired


def test_ruleset_names_are_versioned_and_reused(pack, wards):
    """A name cannot be registered twice: same pack -> same name (reused); changed -> new name."""
    first, second = compile_pack(pack), compile_pack(pack)
    assert [a.ruleset.name for a in first.areas] == [a.ruleset.name for a in second.areas]
    Evaluator(pack).evaluate(wards[0])
    Evaluator(pack).evaluate(wards[0])  # registering again would raise "already registered"
    changed = pack.rules[0].model_copy(update={"id": "CDDH-99"})
    pack.rules[0], original = changed, pack.rules[0]
    try:
        renamed = compile_pack(pack)
    finally:
        pack.rules[0] = original
    assert renamed.areas[0].ruleset.name != first.areas[0].ruleset.name
    assert renamed.areas[1].ruleset.name == first.areas[1].ruleset.name


def test_errors_in_the_engine_surface_instead_of_being_swallowed():
    bad = durable.Ruleset(f"test_bad_{next(_names)}", {"r": {"all": [{"m": {"$gtt": {"x": 1}}}]}})
    with pytest.raises(EngineError) as raised:
        durable.fire((bad,), [{"x": 1}])
    assert "durable_rules" in str(raised.value)


def test_threads_are_serialised_and_agree_with_one_thread(pack, wards):
    """Every worker's every ward is counted, and a worker's exception fails the test: without
    the lock, concurrent asserts on the one session id mix wards (or crash the worker)."""
    evaluator = Evaluator(pack)
    expected = [_statuses(evaluator, ward) for ward in wards]
    workers = 4
    results: dict[int, list] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(workers)

    def work(slot: int) -> None:
        try:
            start.wait()
            results[slot] = [_statuses(evaluator, ward) for ward in wards]
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(workers))
    assert all(result == expected for result in results.values())


def test_exactly_one_branch_fires_per_rule(pack, wards):
    evaluator = Evaluator(pack)
    for ward in wards:
        evaluations = evaluator.evaluate(ward)  # raises EngineError if 0 or 2 fired
        assert len(evaluations) == len(pack.rules)


def test_a_failure_while_running_actions_replaces_the_ruleset(pack, wards, monkeypatch):
    """Deleting a state with actions pending segfaults: on a failure mid-way the wrapper leaves
    the state, raises EngineError, and the next ward runs on a fresh ruleset."""
    evaluator = Evaluator(pack)
    expected = _statuses(evaluator, wards[0])
    real = durable_rules_engine.complete_and_start_action
    calls = {"n": 0}

    def failing(handle, state):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("simulated failure")
        return real(handle, state)

    monkeypatch.setattr(durable.durable_rules_engine, "complete_and_start_action",
                        failing)
    with pytest.raises(EngineError):
        evaluator.evaluate(wards[0])
    monkeypatch.setattr(durable.durable_rules_engine, "complete_and_start_action", real)
    assert _statuses(evaluator, wards[0]) == expected
