"""The one place that talks to durable_rules, and every workaround its sharp edges need.

durable_rules 2.0.28 (unmaintained since 2020) is driven through its C extension
`durable_rules_engine` — the Rete network that tests every condition — rather than through
`durable.engine.Host`. The measured and reproduced hazards (DURABLE_RULES.md) and how each is met:

- Host starts two never-ending dispatcher threads that race `delete_state` (8/8 segfaults with
  4 threads): no Host is ever created, so no thread exists; evaluation runs in the caller.
- Exceptions raised in Python actions are swallowed into the state: there are no Python actions;
  a fired rule is read by name from the C call's result, and anything unexpected raises here.
- At most 1 024 live sessions per ruleset, and session ids collide on a 32-bit hash: one fixed
  session id, one ward at a time (a lock serialises callers), state deleted after every area.
- `delete_state` on a session whose fact matched no rule segfaults, and an unmatched fact is an
  error: every area ruleset has a marker rule matching every area fact (compile.py); state is
  deleted only after a successful assert, and only once every action has been taken (deleting a
  state with actions pending also segfaults): if running the actions fails, the state is left
  and the ruleset is replaced by a fresh one.
- A ruleset name cannot be registered twice: names carry the pack version and a content hash, and
  a ruleset is created once per process and reused.
- At most 255 properties per fact, numeric strings compared as text, NaN as null, `id` as fact
  identity: inputs are split by area and normalised before they get here (compile.py, facts.py).
- The extension holds the GIL and is not thread-safe: parallelism is by processes, never threads.
"""

from __future__ import annotations

import json
import threading
from json.decoder import scanstring

import durable_rules_engine

from cchc.engine.errors import EngineError, Problem
from cchc.engine.evaluate.compile import CompiledArea, CompiledPack

SESSION_ID = "ward"

_lock = threading.Lock()
_rulesets: dict[str, int] = {}
_generation: dict[str, int] = {}


def _engine_error(area: CompiledArea, vi: str, en: str) -> EngineError:
    return EngineError("durable_rules", [Problem(area.ruleset_name, vi, en)])


def _abandon(area: CompiledArea) -> None:
    """Forget a ruleset left in an unknown state; a fresh one is made under a new name."""
    _rulesets.pop(area.ruleset_name, None)
    _generation[area.ruleset_name] = _generation.get(area.ruleset_name, 0) + 1


def _ruleset(area: CompiledArea) -> int:
    handle = _rulesets.get(area.ruleset_name)
    if handle is None:
        name = area.ruleset_name
        if _generation.get(name):  # a name cannot be registered twice
            name = f"{name}_{_generation[name]}"
        try:
            handle = durable_rules_engine.create_ruleset(
                name, json.dumps(area.definition, ensure_ascii=False))
        except Exception as exc:  # the extension raises bare errors with a numeric code
            raise _engine_error(area, f"durable_rules không nhận tập quy tắc: {exc}",
                                f"durable_rules refused the ruleset: {exc}") from exc
        _rulesets[area.ruleset_name] = handle
    return handle


def _fire_area(area: CompiledArea, fact: dict) -> list[str]:
    handle = _ruleset(area)
    message = dict(fact)
    message["sid"] = SESSION_ID
    try:
        code, state = durable_rules_engine.assert_fact(
            handle, json.dumps(message, ensure_ascii=False))
    except Exception as exc:
        raise _engine_error(area, f"durable_rules từ chối dữ kiện: {exc}",
                            f"durable_rules refused the fact: {exc}") from exc
    if code != 0:  # 1: matched no rule, 2: already observed — impossible with marker + cleanup
        raise _engine_error(area, f"durable_rules trả mã {code}", f"durable_rules returned {code}")
    fired: list[str] = []
    try:
        action = durable_rules_engine.start_action_for_state(handle, state)
        message_json = action[1] if action else None
        while message_json:
            # The result is {"<rule name>": {...matched fact...}}: only the name is needed.
            fired.append(scanstring(message_json, 2)[0])
            message_json = durable_rules_engine.complete_and_start_action(handle, state)
    except Exception as exc:
        # Deleting a state whose actions are still pending segfaults (seen while measuring):
        # leave the state where it is and stop using this ruleset; the next ward gets a new one.
        _abandon(area)
        raise _engine_error(area, f"durable_rules lỗi khi chạy quy tắc: {exc}",
                            f"durable_rules failed while running the rules: {exc}") from exc
    durable_rules_engine.delete_state(handle, SESSION_ID)
    return fired


def fire(compiled: CompiledPack, facts: list[dict]) -> list[str]:
    """Assert one fact per area (in `compiled.areas` order); return the names of fired rules."""
    fired: list[str] = []
    with _lock:
        for area, fact in zip(compiled.areas, facts, strict=True):
            fired.extend(_fire_area(area, fact))
    return fired


def warm(compiled: CompiledPack) -> None:
    """Create the rulesets now (e.g. before timing), instead of on the first ward."""
    with _lock:
        for area in compiled.areas:
            _ruleset(area)
