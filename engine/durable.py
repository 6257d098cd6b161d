"""The one place that talks to durable_rules: its rule syntax, its fact layout, and every
workaround its sharp edges need.

durable_rules 2.0.28 (unmaintained since 2020) is driven through its C extension
`durable_rules_engine` — the Rete network that tests every condition — rather than through
`durable.engine.Host`. What the rest of the engine may know of it is defined here, once:

- the fact layout: one fact per reform area, anchored by `AREA_FIELD`; each input takes up to
  four properties — its value's region (below), its status (`STATUS_FIELD`: ok, not
  applicable, no data, pending), its evidence flag (`EVIDENCE_FIELD`) and, for a change with a
  ceiling, whether both years sit at the ceiling (`CEILING_FIELD`);
- exact comparison: durable_rules compares doubles, and a double cannot hold 612/1 020 × 100 or
  2.99999999999999999 exactly (and a double printed in exponent form, 1e-05, makes it refuse
  the fact, error 204). So no value reaches it as a float. Every threshold a rule compares an
  input with is known when the pack is compiled; the input is sent as its region among them
  (`region_of`): 0 below the first, 1 equal to it, 2 between the first and the second, … —
  worked out exactly in Python, with integers only once the thresholds are scaled (`Regions`)
  — and each comparison becomes one on a small integer (`region_condition`), which a double
  holds exactly. durable_rules still decides every branch; it decides it on exact facts;
- the fact's text: laid out once per area (`FactLayout`), a ward's fact is written straight to
  the JSON durable_rules parses, byte for byte what json.dumps of the `put_input` fact gives;
- the property limit (`MAX_FACT_PROPERTIES`, `fact_properties`), which the pack check applies;
- the condition syntax (`compare`, `any_of`, `rule_body`) and the `MARKER` rule;
- ruleset names (`ruleset_name`).

The measured and reproduced hazards (see DURABLE_RULES.md in the design notes) and how each is met:

- Host starts two never-ending dispatcher threads that race `delete_state` (8/8 segfaults with
  4 threads): no Host is ever created, so no thread exists; evaluation runs in the caller.
- Exceptions raised in Python actions are swallowed into the state: there are no Python actions;
  a fired rule is read by name from the C call's result, and anything unexpected raises here.
- At most 1 024 live sessions per ruleset, and session ids collide on a 32-bit hash: one fixed
  session id, one ward at a time (a lock serialises callers), state deleted after every area.
- `delete_state` on a session whose fact matched no rule segfaults, and an unmatched fact is an
  error: every area ruleset has a marker rule matching every area fact; state is deleted only
  after a successful assert, and only once every action has been taken (deleting a state with
  actions pending also segfaults): if running the actions fails, the state is left and the
  ruleset is replaced by a fresh one.
- A ruleset name cannot be registered twice: names carry the pack version and a content hash, and
  a ruleset is created once per process and reused.
- `$nex` also matches durable_rules' own state fact and fires forever: absence is the status
  field's value instead, and every rule is anchored on `AREA_FIELD`.
- At most 255 properties per fact, numeric strings compared as text, NaN as null, `id` as fact
  identity: inputs are split by area, encoded as numbers here, and `id`/`sid` are reserved names
  in the pack schema.
- The extension holds the GIL and is not thread-safe: parallelism is by processes, never threads.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, Literal, Protocol

import durable_rules_engine

from cchc.engine.errors import EngineError, Problem

# --- the fact layout ---------------------------------------------------------------------------

AREA_FIELD = "_area"
STATUS_FIELD = "__s"
EVIDENCE_FIELD = "__e"
CEILING_FIELD = "__t"
STATUS_OK, STATUS_NOT_APPLICABLE, STATUS_MISSING, STATUS_PENDING = 1, 2, 0, 3
MARKER = "marker"
SESSION_ID = "ward"

# durable_rules refuses a fact with more than 255 properties (error 302); each input of an area
# takes at most four (region, status, evidence, ceiling) and every area fact carries `sid` and
# `_area`.
MAX_FACT_PROPERTIES = 255
# Rules per ruleset: measured, durable_rules 2.0.28 creates a ruleset of 510 simple rules at once,
# hangs building one of 540 (a loop in its Rete construction) and refuses 738 (error 106). An
# area compiling to more than this is refused as a pack error before durable_rules sees it; the
# shipped pack's largest area compiles to 97.
MAX_RULES_PER_RULESET = 400
# Inputs per fact: durable_rules walks the alpha nodes a fact matches with a fixed stack of 64
# (MAX_STACK_SIZE in events.c); every input adds a matching status node under the area's
# anchor, so a fact of 65 inputs is refused (error 303, measured). The compiler splits an area
# into several rulesets (one fact each) of at most this many inputs, with room to spare.
MAX_INPUTS_PER_FACT = 40
PROPERTIES_PER_INPUT = 4
FIXED_PROPERTIES = 2

InputStatus = Literal["ok", "na", "missing", "pending"]
_STATUS_CODES = {"ok": STATUS_OK, "na": STATUS_NOT_APPLICABLE, "missing": STATUS_MISSING,
                 "pending": STATUS_PENDING}
Encodable = int | Fraction | bool | dt.date | None


def fact_properties(inputs: int) -> int:
    """How many properties an area fact with `inputs` inputs takes."""
    return FIXED_PROPERTIES + PROPERTIES_PER_INPUT * inputs


def as_number(value: Encodable) -> int | Fraction:
    """A value on the number line the thresholds live on: a date as its day ordinal (not done:
    0), a boolean as 1/0, a number as itself (exact)."""
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if isinstance(value, dt.date):
        return value.toordinal()
    return value


def region_of(value: int | Fraction, thresholds: tuple[int | Fraction, ...]) -> int:
    """The value's place among the sorted, distinct `thresholds`: 2·i if it lies strictly
    between the i-th and the next (0 below the first), 2·i + 1 if it equals the (i+1)-th.
    Exact: the comparison is Python's, on ints and fractions."""
    index = bisect.bisect_left(thresholds, value)
    if index < len(thresholds) and thresholds[index] == value:
        return 2 * index + 1
    return 2 * index


class Regions:
    """`region_of` for one input's thresholds, with integer comparisons only: every threshold
    is multiplied once by their least common denominator, and a value by the same, so a ward's
    value is placed without Fraction arithmetic. Exactly `region_of`'s answer."""

    __slots__ = ("_points", "_scale", "_thresholds")

    def __init__(self, thresholds: tuple[int | Fraction, ...]) -> None:
        self._thresholds = thresholds
        self._scale = math.lcm(*(Fraction(t).denominator for t in thresholds)) \
            if thresholds else 1
        self._points = tuple(int(Fraction(t) * self._scale) for t in thresholds)

    @property
    def count(self) -> int:
        """How many thresholds."""
        return len(self._points)

    def region(self, value: int | Fraction) -> int:
        """The value's region (see `region_of`)."""
        kind = type(value)
        if kind is int:
            scaled = value * self._scale
        elif kind is Fraction:
            scaled, rest = divmod(value.numerator * self._scale,
                                  value.denominator)
            if rest:  # strictly between `scaled` and the next integer: equal to no threshold
                return 2 * bisect.bisect_right(self._points, scaled)
        else:
            return region_of(value, self._thresholds)
        index = bisect.bisect_left(self._points, scaled)
        if index < len(self._points) and self._points[index] == scaled:
            return 2 * index + 1
        return 2 * index


def new_fact(area_id: str) -> dict[str, Any]:
    """An empty area fact (its anchor only)."""
    return {AREA_FIELD: area_id}


def put_input(fact: dict[str, Any], name: str, status: InputStatus, region: int,
              evidence_ok: bool, at_ceiling: bool | None = None) -> None:
    """Add one input (its region, status, evidence flag, and the ceiling flag when the input
    has a ceiling) to an area fact."""
    if status == "ok":
        fact[name] = region
    fact[name + STATUS_FIELD] = _STATUS_CODES[status]
    fact[name + EVIDENCE_FIELD] = 1 if evidence_ok else 0
    if at_ceiling is not None:
        fact[name + CEILING_FIELD] = 1 if at_ceiling else 0


class InputValue(Protocol):
    """What an area fact needs of one input's value for a ward (a derived metric has it)."""

    @property
    def status(self) -> InputStatus: ...
    @property
    def value(self) -> Any: ...
    @property
    def evidence_ok(self) -> bool: ...
    @property
    def not_done(self) -> bool: ...
    @property
    def at_ceiling(self) -> bool: ...


def input_region(value: InputValue, regions: Regions) -> int:
    """The region an input is sent as: its value's among the thresholds when it is ok (a
    deliverable reported not done lies beyond every threshold), else 0 (not sent)."""
    if value.status != "ok":
        return 0
    if value.not_done:
        return 2 * regions.count
    return regions.region(as_number(value.value))


class FactLayout:
    """One area's fact as durable_rules reads it, laid out once per compiled area: a ward's
    fact is then written straight to the JSON text `fire_messages` asserts, from ready-made
    pieces, byte for byte what json.dumps gives for the `put_input` fact with its session id
    (no dict, no encoder per ward)."""

    def __init__(self, area_id: str, inputs: Sequence[tuple[str, Regions, bool]]) -> None:
        """`inputs`: (name, its thresholds, whether it has a ceiling), in the fact's order."""
        def key(name: str) -> str:
            return ", " + json.dumps(name, ensure_ascii=False) + ": "

        self.area_id = area_id
        self._head = "{" + json.dumps(AREA_FIELD) + ": " + json.dumps(area_id,
                                                                      ensure_ascii=False)
        self._tail = key("sid") + json.dumps(SESSION_ID) + "}"
        self._inputs = tuple(
            (name, regions, key(name),
             {status: key(name + STATUS_FIELD) + str(code)
              for status, code in _STATUS_CODES.items()},
             (key(name + EVIDENCE_FIELD) + "0", key(name + EVIDENCE_FIELD) + "1"),
             (key(name + CEILING_FIELD) + "0", key(name + CEILING_FIELD) + "1")
             if ceiling else None)
            for name, regions, ceiling in inputs)

    def message(self, values: Mapping[str, InputValue]) -> str:
        """The JSON text of the area's fact for one ward (`values`: every input by name)."""
        parts = [self._head]
        for name, regions, value_key, status_keys, evidence, ceiling in self._inputs:
            value = values[name]
            status = value.status
            if status == "ok":
                parts.append(value_key + str(input_region(value, regions)))
            parts.append(status_keys[status])
            parts.append(evidence[1 if value.evidence_ok else 0])
            if ceiling is not None:
                parts.append(ceiling[1 if value.at_ceiling else 0])
        parts.append(self._tail)
        return "".join(parts)


# --- the rule syntax ---------------------------------------------------------------------------

Condition = dict[str, Any]
_OPERATORS = {">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte", "!=": "$neq"}


def region_condition(field: str, op: str, index: int) -> Condition:
    """`field op t`, where t is the `index`-th (0-based) threshold of the field's sorted
    thresholds, as a condition on the field's region (equal to t is region 2·index + 1)."""
    at = 2 * index + 1
    if op == "==":
        return {field: at}
    return {_OPERATORS[op]: {field: at}}


def at_ceiling_is(name: str, present: bool) -> Condition:
    """Both years of the input sit (or do not sit) at its ceiling."""
    return {name + CEILING_FIELD: 1 if present else 0}


def all_of(*conditions: Condition) -> Condition:
    """Every one of `conditions` holds (for use inside `any_of`)."""
    if len(conditions) == 1:
        return conditions[0]
    return {"$and": list(conditions)}


def input_is(name: str, status: InputStatus) -> Condition:
    """The input's status is `status`."""
    return {name + STATUS_FIELD: _STATUS_CODES[status]}


def input_is_not(name: str, status: InputStatus) -> Condition:
    """The input's status is anything but `status`."""
    return {"$neq": {name + STATUS_FIELD: _STATUS_CODES[status]}}


def evidence_is(name: str, present: bool) -> Condition:
    """The input's evidence is (or is not) there."""
    return {name + EVIDENCE_FIELD: 1 if present else 0}


def any_of(*conditions: Condition) -> Condition:
    """At least one of `conditions` holds. durable_rules fires once per matching disjunct:
    the conditions must exclude each other (else use `exclusive_any`)."""
    if len(conditions) == 1:
        return conditions[0]
    return {"$or": list(conditions)}


def exclusive_any(pairs: list[tuple[Condition, Condition]]) -> Condition:
    """At least one of several conditions holds, given as (condition, its negation) pairs,
    written so that exactly one disjunct can match: durable_rules fires a rule once per
    matching disjunct of an `$or`, so `a or b` with both true would fire twice. Written as
    `a or (not a and b) or (not a and not b and c) …`."""
    return any_of(*(all_of(*(negation for _, negation in pairs[:index]), condition)
                    for index, (condition, _) in enumerate(pairs)))


def conjunctions(conditions: list[Condition]) -> list[list[Condition]]:
    """The conditions (all of them must hold; any may nest `$or` and `$and`) as alternatives,
    each a plain list of conditions that must all hold: the disjunctive normal form. Each
    alternative becomes a durable_rules rule of its own, so no rule carries an `$or`: a rule
    with disjunctions is limited to 31 expressions in durable_rules (error 113,
    ERR_EXPRESSION_LIMIT_EXCEEDED: a compound test of three parts already reached it), and a
    rule fires once per matching disjunct. The alternatives of `exclusive_any` exclude each
    other, so exactly one of them can match."""
    alternatives: list[list[Condition]] = [[]]
    for condition in conditions:
        options = _alternatives(condition)
        alternatives = [[*before, *option] for before in alternatives for option in options]
    return alternatives


def count_conjunctions(conditions: list[Condition]) -> int:
    """How many alternatives `conjunctions` would make, counted without making them (a
    compound of many parts would make exponentially many)."""
    count = 1
    for condition in conditions:
        count *= _count(condition)
    return count


def _count(condition: Condition) -> int:
    if "$or" in condition and len(condition) == 1:
        return sum(_count(part) for part in condition["$or"])
    if "$and" in condition and len(condition) == 1:
        return count_conjunctions(list(condition["$and"]))
    return 1


def _alternatives(condition: Condition) -> list[list[Condition]]:
    if "$or" in condition and len(condition) == 1:
        return [option for part in condition["$or"] for option in _alternatives(part)]
    if "$and" in condition and len(condition) == 1:
        return conjunctions(list(condition["$and"]))
    return [[condition]]


def rule_body(area_id: str, conditions: list[Condition]) -> dict[str, Any]:
    """A rule that fires when every condition holds on the area's fact (anchored on the area,
    so it never matches durable_rules' own state fact); the conditions are plain ones (see
    `conjunctions`)."""
    return {"all": [{"m": {"$and": [{AREA_FIELD: area_id}, *conditions]}}]}


def marker_rule(area_id: str) -> tuple[str, dict[str, Any]]:
    """(name, body) of the rule that matches every fact of the area: no fact is ever unmatched
    (durable_rules raises on an unmatched fact and segfaults deleting the state it leaves)."""
    return f"{area_id}|{MARKER}", {"all": [{"m": {AREA_FIELD: area_id}}]}


def is_marker(rule_name: str) -> bool:
    """Whether a fired rule is an area's marker."""
    return rule_name.endswith("|" + MARKER)


def ruleset_name(pack_id: str, version: str, area_id: str, definition: dict[str, Any]) -> str:
    """A ruleset's name: durable_rules cannot register a name twice, so a name per pack version
    and content lets a changed pack load beside the old one and an unchanged one reuse its
    ruleset."""
    digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:16]
    safe = re.sub(r"[^A-Za-z0-9]+", "_", f"{pack_id}_{version}_{area_id}")
    return f"cchc_{safe}_{digest}"


@dataclass(frozen=True)
class Ruleset:
    """One durable_rules ruleset: its registered name and its JSON definition."""

    name: str
    definition: dict[str, Any]


# --- running it --------------------------------------------------------------------------------

_lock = threading.Lock()
_handles: dict[str, int] = {}
_generation: dict[str, int] = {}


def _engine_error(ruleset: Ruleset, vi: str, en: str) -> EngineError:
    return EngineError("durable_rules", [Problem(ruleset.name, vi, en)])


def _abandon(ruleset: Ruleset) -> None:
    """Forget a ruleset left in an unknown state; a fresh one is made under a new name."""
    _handles.pop(ruleset.name, None)
    _generation[ruleset.name] = _generation.get(ruleset.name, 0) + 1


def _handle(ruleset: Ruleset) -> int:
    handle = _handles.get(ruleset.name)
    if handle is None:
        name = ruleset.name
        if _generation.get(name):  # a name cannot be registered twice
            name = f"{name}_{_generation[name]}"
        try:
            handle = durable_rules_engine.create_ruleset(
                name, json.dumps(ruleset.definition, ensure_ascii=False))
        except Exception as exc:  # the extension raises bare errors with a numeric code
            raise _engine_error(ruleset, f"durable_rules không nhận tập quy tắc: {exc}",
                                f"durable_rules refused the ruleset: {exc}") from exc
        _handles[ruleset.name] = handle
    return handle


def message_of(fact: Mapping[str, Any]) -> str:
    """The JSON text asserted for a fact: the fact and the session id."""
    message = dict(fact)
    message["sid"] = SESSION_ID
    return json.dumps(message, ensure_ascii=False)


def _fire_one(ruleset: Ruleset, message: str) -> list[str]:
    handle = _handle(ruleset)
    try:
        code, state = durable_rules_engine.assert_fact(handle, message)
    except Exception as exc:
        raise _engine_error(ruleset, f"durable_rules từ chối dữ kiện: {exc}",
                            f"durable_rules refused the fact: {exc}") from exc
    if code != 0:  # 1: matched no rule, 2: already observed — impossible with marker + cleanup
        raise _engine_error(ruleset, f"durable_rules trả mã {code}",
                            f"durable_rules returned {code}")
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
        _abandon(ruleset)
        raise _engine_error(ruleset, f"durable_rules lỗi khi chạy quy tắc: {exc}",
                            f"durable_rules failed while running the rules: {exc}") from exc
    durable_rules_engine.delete_state(handle, SESSION_ID)
    return fired


def fire(rulesets: tuple[Ruleset, ...], facts: list[dict[str, Any]]) -> list[str]:
    """Assert one fact per ruleset (in order); return the names of the rules that fired."""
    return fire_messages(rulesets, [message_of(fact) for fact in facts])


def fire_messages(rulesets: tuple[Ruleset, ...], messages: list[str]) -> list[str]:
    """`fire`, the facts already written as JSON text with the session id (`FactLayout`)."""
    fired: list[str] = []
    with _lock:
        for ruleset, message in zip(rulesets, messages, strict=True):
            fired.extend(_fire_one(ruleset, message))
    return fired


def warm(rulesets: tuple[Ruleset, ...]) -> None:
    """Create the rulesets now (e.g. before timing), instead of on the first ward."""
    with _lock:
        for ruleset in rulesets:
            _handle(ruleset)
