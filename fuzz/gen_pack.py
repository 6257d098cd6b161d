"""Hostile rule packs: a pack folder (by default the shipped rules/phuong5-2024; any other with
`--pack DIR`) with one or more of its YAML files changed — hostile values at any place (and at
the fields that matter: bounds, scales, points, dates, ids), raw YAML that a safe loader still
has to survive (tags, complex keys, aliases, impossible dates), byte damage, and shapes that
stress the checks and the compiler: metric chains thousands deep, diamond-shaped metric graphs,
thousands of rules in one area, many areas, many steps, huge strings, NUL in names; and, for a
pack that uses the newer constructs (a working-day calendar, late tiers, compound tests,
tables), many holidays, many late tiers, many compound parts and many table columns.

`PackGenerator.generate(rng)` gives (description, overrides): pack-relative path -> new bytes,
None (delete the file) or a `Special` (a directory, a symlink, a sparse file).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from fuzz.gen_facts import size

PACK_ID = "phuong5-2024"
TOP_FILES = ("pack.yaml", "facts.yaml", "requirements.yaml")
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Special:
    """A pack entry that is not plain bytes: 'dir', 'symlink' (to `target`), 'sparse' (`size`)."""

    kind: str
    target: str = ""
    size: int = 0


Overrides = dict[str, "bytes | Special | None"]

# Raw YAML for a value position (one line, valid in block or flow context where possible).
YAML_TOKENS = [
    '"1e999999999"', '"1e-1000000"', '"1e400"', '"-1e400"', "1e400", "1.0e+400", ".inf",
    "-.inf", ".nan", ".NaN", "0", "-0", "-1", "-0.0", "0.0", "0.001", "0.005", "0.0000001",
    '"0.0000001"', "1e-7", '"1e-7"', "123456789012345.123456", '"123456789012345.123456"',
    "999999999999999999999", '"9999999999999999999999"', "99999999999999999999999999999999",
    "1_000", "0x10", "0o17", "0b101", "+1", "1:30", "190:20:30", "yes", "no", "on", "off", "y",
    "~", "null", "''", '""', "[]", "{}", "[a]", "{a: 1}", "[[[[[]]]]]", "2024-02-30",
    "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0001-01-01", "9999-12-31",
    "2024-01-01T25:00:00", "2024-01-01 10:00:00", "2024-1-1", "!!binary aGVsbG8=",
    '!!binary "not base64!"', "!!python/object:os.system {}",
    '!!python/object/apply:os.system ["true"]', "!!python/name:os.system",
    "!!python/tuple [1, 2]", "!!set {a, b}", "!!omap [a: 1]", '!!int "x"', '!!float "x"',
    '!!timestamp "x"', "!!str 1", "!!bool maybe", "!!null x", "!unknown x", "!!map []",
    "!!seq {}", "&anchor x", "*undefined", '"\\0"', '"\\x00"', '"\\uD800"', '"\\U0010FFFF"',
    '"\\t"', '"a\\0b"', '"{share}"', '"{0}"', '"{share!r}"', '"{share.__class__.__mro__}"',
    '"{share:>99999999}"', '"{share:>9999999999}"', '"{per_unit}"', '"{"', '"}"',
    '"{share:{share}}"', '"|marker"', '"$and"', '"\\"quote"', "'a''b'", "|-\n  x",
    "{? [a] : 1}", "{? {a: 1} : 1}", "&x [*x]", "&y {a: *y}", "[*undefined]", "!!int 1e3",
    '"2024-02-01"', '"01/02/2024"', "2024-02-01", "true", "false", "TRUE", "True", "1.5",
    "100", "1000000000", "1e9", '"1e9"', "10000000000", '"NaN"', '"Infinity"', '"-0"',
]

# Fields worth aiming at, by file.
# The newer constructs' field names (dates lists, tables, per_period, each, days_between with a
# working-day calendar, compound tests, applies_if, late tiers, capped deductions, linear `from`,
# adjustments, bands' min_area_share): aimed at in every file that can hold them. The shipped
# pack uses none of them, so its mutations are as they were.
NEW_FIELDS = ["applies_if", "effect", "late", "days", "until", "max_deduction", "from", "to",
              "all", "any", "min_area_share", "min_points", "calendar", "holidays",
              "working_days", "covers", "adjustments", "total_cap", "columns", "key", "every",
              "item", "meets", "count", "rolls_over", "measure", "evidence_until", "answers",
              "encoded_in"]
FIELDS = {
    "pack.yaml": ["id", "version", "year", "issued_on", "max_points", "min_index", "points",
                  "late_share", "late_until", "share", "per_unit", "value", "op", "method",
                  "ops", "kinds", "vi", "en", "partial", "bands", "areas", "conventions",
                  *NEW_FIELDS],
    "facts.yaml": ["type", "maximum", "minimum", "scale", "numerator", "denominator", "of",
                   "minuend", "subtrahend", "ceiling", "plausible_max", "levels", "edition",
                   "published_by_month", "evidence_since", "evidence_required", "bounded",
                   "non_negative", "none_is_not_applicable", "better", "kind", "label", "unit",
                   *NEW_FIELDS],
    "requirements.yaml": ["id", "area", "deadline", "measures", "value", "op", *NEW_FIELDS],
    "rules": ["id", "area", "requirements", "metric", "op", "value", "deadline", "window_from",
              "points", "scoring", "method", "convention", "partial", "share", "late_share",
              "late_until", "per_unit", "test", "title", "quote", *NEW_FIELDS],
}


def _dump(tree: Any, raw: dict[str, str]) -> bytes:
    try:
        text = yaml.dump(tree, Dumper=_DUMPER, allow_unicode=True, sort_keys=False,
                         width=10**9, default_flow_style=False)
    except UnicodeEncodeError:  # libyaml cannot write a lone surrogate; PyYAML escapes it
        text = yaml.dump(tree, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False,
                         width=10**9, default_flow_style=False)
    for placeholder, token in raw.items():
        text = re.sub(rf"'?{placeholder}'?", lambda _m, t=token: t, text)
    return text.encode("utf-8", "surrogatepass")


def _walk(node: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """(path, node) for every node, root first."""
    out = [(path, node)]
    stack = [(node, path)]
    while stack:
        current, at = stack.pop()
        items = current.items() if isinstance(current, dict) else (
            enumerate(current) if isinstance(current, list) else ())
        for key, value in items:
            out.append(((*at, key), value))
            stack.append((value, (*at, key)))
    return out


def _set(tree: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return tree


def hostile_python(rng: random.Random) -> Any:
    """A hostile value as yaml.safe_dump can write it."""
    return rng.choice([
        None, True, False, 0, -1, 10**30, -(10**30), 1e300, 1e-300, float("inf"), float("nan"),
        0.005, 0.001, 0.0001, "", " ", "\x00", "a\x00b", "x" * size(rng, 1, 3_000_000),
        "ư" * size(rng, 1, 500_000), [], {}, [[]], {"a": 1}, ["a"], [None] * 50,
        dt.date(2024, 2, 29), dt.date(1, 1, 1), dt.date(9999, 12, 31), "2024-02-30",
        "1e999999999", "1e400", "NaN", "Infinity", "{share}", "{0}", "%s",
        "A" * size(rng, 1, 200_000), "TC-01", "the_che", "phuong5-2024",
    ])


# Structural changes with one size (depth, levels, count, length) that shrinking can lower.
SIZED = {"chain", "diamond", "many_rules", "many_areas", "many_inputs", "many_steps",
         "many_bands", "long_ids", "huge_text", "deep_nesting", "many_holidays", "many_tiers",
         "many_parts", "many_columns"}
SIZE_PATTERN = re.compile(r"(?:depth=|levels=| x| long_rule_id | huge_text \S+ )(\d+)")


def _param(drawn: int, given: int | None) -> int:
    """The size drawn (the rng is always consumed, so the rest of the pack stays the same),
    unless one is given."""
    return drawn if given is None else given


def size_of(description: str) -> int | None:
    """The size a structural change's description names, if it is one."""
    words = description.split()
    if len(words) < 2 or words[0] != "structure" or words[1] not in (*SIZED, "long_rule_id"):
        return None
    match = SIZE_PATTERN.search(description)
    return int(match.group(1)) if match else None


class PackGenerator:
    """Makes hostile rule packs from the shipped one."""

    def __init__(self, pack_dir: Path) -> None:
        self.pack_dir = pack_dir
        self.rule_files = sorted(f"rules/{p.name}" for p in (pack_dir / "rules").glob("*.yaml"))
        self.files = [*TOP_FILES, *self.rule_files]
        self.texts = {rel: (pack_dir / rel).read_bytes() for rel in self.files}
        self.trees = {rel: yaml.safe_load(self.texts[rel].decode("utf-8")) for rel in self.files}
        # what the metric chains and diamonds hang from: two count facts and a rule that reads
        # one metric (the shipped pack's as they always were; any other pack's first ones)
        facts = (self.trees["facts.yaml"] or {}).get("facts") or {}
        counts = [name for name, spec in facts.items()
                  if isinstance(spec, dict) and spec.get("type") == "count"] or list(facts)
        self.count_a = "so_vbqppl_trai_phap_luat" if "so_vbqppl_trai_phap_luat" in counts \
            else (counts[0] if counts else "x")
        self.count_b = "so_van_ban_chi_dao_cchc" if "so_van_ban_chi_dao_cchc" in counts \
            else next((c for c in counts if c != self.count_a), self.count_a)
        ids = [rule.get("id") for rel in self.rule_files
               for rule in (self.trees[rel] or {}).get("rules") or []
               if isinstance(rule.get("test"), dict) and "metric" in rule["test"]
               and not rule.get("effect")]
        self.chain_rule = "TC-01" if "TC-01" in ids else (ids[0] if ids else "")
        # the newer constructs this pack uses: their structural changes are offered only then
        self.new_ops = self._new_ops()

    def _new_ops(self) -> list[str]:
        pack = self.trees.get("pack.yaml") or {}
        ops = []
        if isinstance(pack.get("calendar"), dict):
            ops.append("many_holidays")
        rules = [rule for rel in self.rule_files for rule in (self.trees[rel] or {}).get(
            "rules") or []]
        if any(isinstance(r.get("scoring"), dict) and r["scoring"].get("late") for r in rules):
            ops.append("many_tiers")
        if any(isinstance(r.get("test"), dict) and ("all" in r["test"] or "any" in r["test"])
               for r in rules):
            ops.append("many_parts")
        facts = (self.trees["facts.yaml"] or {}).get("facts") or {}
        if any(isinstance(spec, dict) and spec.get("type") == "table" for spec in facts.values()):
            ops.append("many_columns")
        return ops

    def tree(self, rel: str) -> Any:
        return copy.deepcopy(self.trees[rel])

    def _pick_file(self, rng: random.Random) -> str:
        return rng.choices(self.files, weights=[3, 4, 1] + [6 / len(self.rule_files)] * len(
            self.rule_files))[0]

    # --- value-level -------------------------------------------------------------------------

    def _value(self, rng: random.Random) -> tuple[str, Overrides]:
        rel = self._pick_file(rng)
        tree = self.tree(rel)
        nodes = _walk(tree)
        fields = FIELDS["rules" if rel.startswith("rules/") else rel]
        aimed = [p for p, _ in nodes if p and p[-1] in fields]
        path = rng.choice(aimed) if aimed and rng.random() < 0.75 else rng.choice(nodes)[0]
        raw: dict[str, str] = {}
        roll = rng.random()
        if roll < 0.55:
            token = rng.choice(YAML_TOKENS)
            raw["__FUZZ0__"] = token
            what = f"{rel}:{'.'.join(map(str, path))}={token[:40]}"
            tree = _set(tree, path, "__FUZZ0__")
        elif roll < 0.9 or not path:
            value = hostile_python(rng)
            what = f"{rel}:{'.'.join(map(str, path))}={str(value)[:40]!r}"
            tree = _set(tree, path, value)
        else:
            parent = tree
            for step in path[:-1]:
                parent = parent[step]
            del parent[path[-1]]
            what = f"{rel}:{'.'.join(map(str, path))} deleted"
        return "value " + what, {rel: _dump(tree, raw)}

    # --- text-level --------------------------------------------------------------------------

    def _text(self, rng: random.Random) -> tuple[str, Overrides]:
        rel = self._pick_file(rng)
        data = bytearray(self.texts[rel])
        lines = bytes(data).split(b"\n")
        op = rng.choice(["flip", "truncate", "bom", "bad_utf8", "nul", "tab", "complex_key",
                         "directive", "multi_doc", "dup_range", "token_line", "dup_key",
                         "utf16", "crlf", "merge_key"])
        if op == "flip":
            for _ in range(rng.randint(1, 6)):
                i = rng.randrange(len(data))
                data[i] ^= 1 << rng.randrange(8)
        elif op == "truncate":
            del data[rng.randrange(len(data)):]
        elif op == "bom":
            data[0:0] = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf" * 2])
        elif op == "bad_utf8":
            i = rng.randrange(len(data))
            data[i:i] = rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\x80"])
        elif op == "nul":
            i = rng.randrange(len(data))
            data[i:i] = b"\x00"
        elif op == "tab":
            i = rng.randrange(len(lines))
            lines[i] = b"\t" + lines[i]
            data = bytearray(b"\n".join(lines))
        elif op == "complex_key":
            i = rng.randrange(len(lines) + 1)
            indent = re.match(rb"\s*", lines[i - 1] if i else b"").group()
            lines.insert(i, indent + rng.choice([b"? [a]\n" + indent + b": 1", b"? {a: 1}\n"
                                                 + indent + b": 1", b"[a]: 1", b"{a: 1}: 1",
                                                 b"? [a, [b]]", b"? !!set {a}\n" + indent
                                                 + b": 1", b"? [a]: 1"]))
            data = bytearray(b"\n".join(lines))
        elif op == "directive":
            data[0:0] = rng.choice([b"%YAML 1.2\n---\n", b"%YAML 9.9\n---\n",
                                    b"%TAG ! tag:x,\n---\n", b"%FOO bar\n---\n",
                                    b"--- !!map\n"])
        elif op == "multi_doc":
            data += rng.choice([b"\n---\n" + bytes(data), b"\n---\nx: 1\n", b"\n...\n"])
        elif op == "dup_range":
            i = rng.randrange(len(lines))
            j = min(len(lines), i + size(rng, 1, 200))
            times = size(rng, 1, 2000)
            lines[i:i] = lines[i:j] * times
            data = bytearray(b"\n".join(lines))
        elif op == "token_line":
            # a `key: value` line whose value becomes a raw YAML token
            candidates = [k for k, line in enumerate(lines)
                          if re.match(rb"\s*(- )?[\w]+: \S", line)]
            if candidates:
                k = rng.choice(candidates)
                head = re.match(rb"(\s*(- )?[\w]+: )", lines[k]).group(1)
                lines[k] = head + rng.choice(YAML_TOKENS).encode("utf-8", "surrogatepass")
                data = bytearray(b"\n".join(lines))
        elif op == "dup_key":
            candidates = [k for k, line in enumerate(lines) if re.match(rb"\s*[\w]+: \S", line)]
            if candidates:
                k = rng.choice(candidates)
                lines.insert(k, lines[k])
                data = bytearray(b"\n".join(lines))
        elif op == "utf16":
            data = bytearray(bytes(data).decode("utf-8").encode("utf-16"))
        elif op == "crlf":
            data = bytearray(bytes(data).replace(b"\n", rng.choice([b"\r\n", b"\r", b"\x85"])))
        else:  # merge key
            data[0:0] = b"base: &base {a: 1}\n"
            data += b"\nextra:\n  <<: *base\n  <<: [*base, *base]\n"
        return f"text {rel}:{op}", {rel: bytes(data)}

    # --- structural --------------------------------------------------------------------------

    def _rule_file_of(self, area: str) -> str | None:
        for rel in self.rule_files:
            rules = self.trees[rel].get("rules") or []
            if rules and rules[0].get("area") == area:
                return rel
        return None

    def chain(self, rng: random.Random, depth: int | None = None) -> tuple[str, Overrides]:
        """Metrics m0 <- m1 <- … <- m{depth-1}, the last read by rule TC-01."""
        depth = _param(rng.choice([size(rng, 1, 3000), 1200, 999, 1001]), depth)
        facts = self.tree("facts.yaml")
        label = {"vi": "x", "en": "x"}
        prev = self.count_a
        for i in range(depth):
            facts["metrics"][f"chuoi_{i}"] = {
                "kind": "ratio", "label": label, "numerator": prev,
                "denominator": self.count_b, "unit": label, "bounded": False}
            prev = f"chuoi_{i}"
        rel, rules = self._with_rule_reading(self.chain_rule, prev)
        return f"structure chain depth={depth}", {"facts.yaml": _dump(facts, {}),
                                                   rel: _dump(rules, {})}

    def diamond(self, rng: random.Random, levels: int | None = None) -> tuple[str, Overrides]:
        """Metrics d{i+1} = d{i} / d{i}: every level doubles the paths to the bottom."""
        levels = _param(rng.choice([rng.randint(1, 30), 26, 22, 18]), levels)
        facts = self.tree("facts.yaml")
        label = {"vi": "x", "en": "x"}
        facts["metrics"]["kim_cuong_0"] = {
            "kind": "ratio", "label": label, "numerator": self.count_a,
            "denominator": self.count_b, "unit": label, "bounded": False}
        for i in range(levels):
            facts["metrics"][f"kim_cuong_{i + 1}"] = {
                "kind": "ratio", "label": label, "numerator": f"kim_cuong_{i}",
                "denominator": f"kim_cuong_{i}", "unit": label, "bounded": False}
        rel, rules = self._with_rule_reading(self.chain_rule, f"kim_cuong_{levels}")
        return f"structure diamond levels={levels}", {"facts.yaml": _dump(facts, {}),
                                                       rel: _dump(rules, {})}

    def _with_rule_reading(self, rule_id: str, metric: str) -> tuple[str, Any]:
        for rel in self.rule_files:
            rules = self.tree(rel)
            for rule in rules["rules"]:
                if rule["id"] == rule_id:
                    rule["test"]["metric"] = metric
                    return rel, rules
        raise LookupError(rule_id)

    def many_rules(self, rng: random.Random, count: int | None = None) -> tuple[str, Overrides]:
        """`count` copies of one rule in its area, 0.01 points each (totals kept right)."""
        count = _param(rng.choice([size(rng, 1, 5000), 739, 800, 1000]), count)
        rel = rng.choice(self.rule_files)
        rules = self.tree(rel)
        original = rng.choice(rules["rules"])
        area = original["area"]
        for i in range(count):
            clone = copy.deepcopy(original)
            clone["id"] = f"{original['id']}-Z{i}"
            clone["points"] = "0.01"
            rules["rules"].append(clone)
        pack = self.tree("pack.yaml")
        extra = Decimal("0.01") * count
        for entry in pack["areas"]:
            if entry["id"] == area:
                entry["points"] = str(Decimal(str(entry["points"])) + extra)
        pack["max_points"] = str(Decimal(str(pack["max_points"])) + extra)
        return f"structure many_rules {rel} {original['id']} x{count}", {
            rel: _dump(rules, {}), "pack.yaml": _dump(pack, {})}

    def many_areas(self, rng: random.Random, count: int | None = None) -> tuple[str, Overrides]:
        """`count` extra areas, each with one 0.01-point copy of a rule."""
        count = _param(size(rng, 1, 3000), count)
        rel = rng.choice(self.rule_files)
        rules = self.tree(rel)
        original = rng.choice(rules["rules"])
        pack = self.tree("pack.yaml")
        for i in range(count):
            clone = copy.deepcopy(original)
            clone["id"] = f"{original['id']}-A{i}"
            clone["area"] = f"vung_{i}"
            clone["points"] = "0.01"
            rules["rules"].append(clone)
            pack["areas"].append({"id": f"vung_{i}", "points": "0.01", "vi": "x", "en": "x"})
        pack["max_points"] = str(Decimal(str(pack["max_points"])) + Decimal("0.01") * count)
        return f"structure many_areas x{count}", {rel: _dump(rules, {}),
                                                  "pack.yaml": _dump(pack, {})}

    def many_inputs(self, rng: random.Random, count: int | None = None
                    ) -> tuple[str, Overrides]:
        """One area's rules each reading its own new count fact (durable's property limit)."""
        count = _param(size(rng, 1, 400), count)
        facts = self.tree("facts.yaml")
        rel = rng.choice(self.rule_files)
        rules = self.tree(rel)
        original = next((r for r in rules["rules"] if r["test"].get("op") == "=="
                         and not isinstance(r["test"].get("value"), bool)), rules["rules"][0])
        pack = self.tree("pack.yaml")
        for i in range(count):
            facts["facts"][f"dem_{i}"] = {"type": "count", "label": {"vi": "x", "en": "x"}}
            clone = copy.deepcopy(original)
            clone["id"] = f"{original['id']}-N{i}"
            clone["points"] = "0.01"
            clone["test"] = {"metric": f"dem_{i}", "op": "==", "value": 0}
            clone["scoring"] = {"method": "all_or_nothing"}
            rules["rules"].append(clone)
        extra = Decimal("0.01") * count
        for entry in pack["areas"]:
            if entry["id"] == original["area"]:
                entry["points"] = str(Decimal(str(entry["points"])) + extra)
        pack["max_points"] = str(Decimal(str(pack["max_points"])) + extra)
        return f"structure many_inputs x{count}", {"facts.yaml": _dump(facts, {}),
                                                   rel: _dump(rules, {}),
                                                   "pack.yaml": _dump(pack, {})}

    def many_steps(self, rng: random.Random, count: int | None = None
                   ) -> tuple[str, Overrides]:
        """A ratio rule scored by `count` partial-credit steps."""
        count = _param(size(rng, 1, 5000), count)
        for rel in self.rule_files:
            rules = self.tree(rel)
            for rule in rules["rules"]:
                if rule["test"].get("op") in (">=", ">") and not isinstance(
                        rule["test"].get("value"), bool):
                    try:  # a level id (">= hoan_thanh_tot") has no steps
                        top = Decimal(str(rule["test"]["value"]))
                    except ArithmeticError:
                        continue
                    step = top / (count + 1)
                    rule["scoring"] = {"method": "steps", "partial": [
                        {"op": ">=", "value": str((top - step * (i + 1)).quantize(
                            Decimal("0.000001"))), "share": str((Decimal("0.999") * (count - i)
                                                                / count).quantize(
                                Decimal("0.001")))} for i in range(count)]}
                    rule["partial_in_plan"] = "x"
                    rule["convention_exception"] = {"vi": "x", "en": "x"}
                    return f"structure many_steps {rule['id']} x{count}", {
                        rel: _dump(rules, {})}
        return "structure many_steps (none)", {}

    def many_bands(self, rng: random.Random, count: int | None = None
                   ) -> tuple[str, Overrides]:
        count = _param(size(rng, 1, 20000), count)
        pack = self.tree("pack.yaml")
        pack["bands"] = [{"id": f"b{i}", "vi": "x", "en": "x",
                          "min_index": str((Decimal(100) * (count - 1 - i) / count)
                                           .quantize(Decimal("0.0000000001")))}
                         for i in range(count)]
        return f"structure many_bands x{count}", {"pack.yaml": _dump(pack, {})}

    # --- the newer constructs (only for a pack that uses them) ----------------------------

    def many_holidays(self, rng: random.Random, count: int | None = None
                      ) -> tuple[str, Overrides]:
        """`count` holidays (single days, overlapping spans) or make-up working days."""
        count = _param(size(rng, 1, 5000), count)
        style = rng.randrange(3)
        pack = self.tree("pack.yaml")
        calendar = pack["calendar"]
        start = (calendar.get("covers") or {}).get("from")
        if not isinstance(start, dt.date):
            start = dt.date(2025, 1, 1)
        day = dt.timedelta(days=1)
        if style == 0:
            calendar["holidays"] = [{"from": start + day * i, "vi": "x", "en": "x"}
                                    for i in range(count)]
        elif style == 1:
            calendar["holidays"] = [{"from": start + day * (i % 400),
                                     "to": start + day * (i % 400 + i % 37), "vi": "x",
                                     "en": "x"} for i in range(count)]
        else:
            first_saturday = start + day * ((5 - start.weekday()) % 7)
            calendar["working_days"] = [first_saturday + day * (7 * i) for i in range(count)]
        return f"structure many_holidays style {style} x{count}", {"pack.yaml": _dump(pack, {})}

    def _rules_where(self, has: Any) -> list[tuple[str, int]]:
        return [(rel, i) for rel in self.rule_files
                for i, rule in enumerate((self.trees[rel] or {}).get("rules") or [])
                if isinstance(rule, dict) and has(rule)]

    def many_tiers(self, rng: random.Random, count: int | None = None
                   ) -> tuple[str, Overrides]:
        """An on_time rule with `count` late tiers (by days, or until a date), shares falling."""
        count = _param(size(rng, 1, 5000), count)
        by_date = rng.random() < 0.3
        rel, index = rng.choice(self._rules_where(
            lambda r: isinstance(r.get("scoring"), dict) and r["scoring"].get("late")))
        rules = self.tree(rel)
        rule = rules["rules"][index]
        deadline = (rule.get("test") or {}).get("deadline")
        if not isinstance(deadline, dt.date):
            deadline = dt.date(2025, 12, 1)
        tiers: list[dict[str, Any]] = []
        for i in range(count):
            share = str((Decimal("0.999") * (count - i) / count).quantize(Decimal("0.001")))
            if by_date:
                tiers.append({"until": deadline + dt.timedelta(days=i + 1), "share": share})
            else:
                tiers.append({"days": i + 1, "share": share})
        tiers.append({"share": "0"})
        rule["scoring"]["late"] = tiers
        return f"structure many_tiers {rule.get('id')} x{count}", {rel: _dump(rules, {})}

    def many_parts(self, rng: random.Random, count: int | None = None
                   ) -> tuple[str, Overrides]:
        """A compound test of `count` parts (its own, repeated), as `all` or as `any`."""
        count = _param(size(rng, 2, 5000), count)
        combine = rng.choice(["all", "any"])
        rel, index = rng.choice(self._rules_where(
            lambda r: isinstance(r.get("test"), dict) and ("all" in r["test"]
                                                           or "any" in r["test"])))
        rules = self.tree(rel)
        rule = rules["rules"][index]
        parts = rule["test"].get("all") or rule["test"].get("any") or []
        rule["test"] = {combine: [copy.deepcopy(parts[i % len(parts)]) for i in range(count)]}
        return f"structure many_parts {rule.get('id')} {combine} x{count}", {
            rel: _dump(rules, {})}

    def many_columns(self, rng: random.Random, count: int | None = None
                     ) -> tuple[str, Overrides]:
        """A table fact with `count` more columns."""
        count = _param(size(rng, 1, 3000), count)
        facts = self.tree("facts.yaml")
        tables = [name for name, spec in facts["facts"].items()
                  if isinstance(spec, dict) and spec.get("type") == "table"]
        name = rng.choice(tables)
        kinds = [rng.choice(["text", "number", "date"]) for _ in range(min(count, 50))]
        for i in range(count):
            facts["facts"][name]["columns"][f"cot_{i}"] = {
                "type": kinds[i % len(kinds)], "label": {"vi": "x", "en": "x"}}
        return f"structure many_columns {name} x{count}", {"facts.yaml": _dump(facts, {})}

    def rename_area(self, rng: random.Random) -> tuple[str, Overrides]:
        """An area id that is hostile to whatever later turns it into names and JSON."""
        new = rng.choice(["a|marker", "|marker", "$and", '"', "\\", "😀", "", " ", "a\x00b",
                          "x" * size(rng, 1, 1_000_000), "the che", "THE_CHE", "sid", "id",
                          "_area", "a.b", "a\nb", "\u202e", "\ud800", "__s", "m|met|0|True"])
        rel = rng.choice(self.rule_files)
        rules = self.tree(rel)
        old = rules["rules"][0]["area"]
        for rule in rules["rules"]:
            rule["area"] = new
        pack = self.tree("pack.yaml")
        for entry in pack["areas"]:
            if entry["id"] == old:
                entry["id"] = new
        if isinstance(pack.get("adjustments"), dict) and pack["adjustments"].get("id") == old:
            pack["adjustments"]["id"] = new
        reqs = self.tree("requirements.yaml")
        for req in reqs["requirements"]:
            if req.get("area") == old:
                req["area"] = new
        return f"structure rename_area {old}->{new[:30]!r}", {
            rel: _dump(rules, {}), "pack.yaml": _dump(pack, {}),
            "requirements.yaml": _dump(reqs, {})}

    def long_ids(self, rng: random.Random, n: int | None = None) -> tuple[str, Overrides]:
        n = _param(size(rng, 10, 2_000_000), n)
        rel = rng.choice(self.rule_files)
        rules = self.tree(rel)
        rule = rng.choice(rules["rules"])
        rule["id"] = rng.choice(["A" * n, "A-" + "B" * n, "A" + "-1" * (n // 2)])
        return f"structure long_rule_id {n}", {rel: _dump(rules, {})}

    def huge_text(self, rng: random.Random, n: int | None = None) -> tuple[str, Overrides]:
        rel = self._pick_file(rng)
        tree = self.tree(rel)
        strings = [p for p, v in _walk(tree) if isinstance(v, str)]
        n = _param(size(rng, 1000, 8_000_000), n)
        path = rng.choice(strings)
        tree = _set(tree, path, rng.choice(["x", "ư", "\x00", "{", "\\", "e\u0301"]) * n)
        return f"structure huge_text {rel}:{'.'.join(map(str, path))} {n}", {
            rel: _dump(tree, {})}

    def alias_bomb(self, rng: random.Random) -> tuple[str, Overrides]:
        """Nine aliases of nine aliases of …: shared when loaded, exponential when walked."""
        levels = rng.randint(3, 12)
        lines = ["_bomb0: &b0 [x, x, x, x, x, x, x, x, x]"]
        for i in range(1, levels):
            lines.append(f"_bomb{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]")
        rel = self._pick_file(rng)
        tree = self.tree(rel)
        where = "top"
        if rng.random() < 0.7:  # the bomb also as the value of a field the schema reads
            nodes = [p for p, _ in _walk(tree) if p]
            path = rng.choice(nodes)
            where = ".".join(map(str, path))
            tree = _set(tree, path, "__FUZZ0__")
        body = "\n".join(lines) + "\n" + _dump(tree, {"__FUZZ0__": f"*b{levels - 1}"}).decode()
        return f"structure alias_bomb {rel} levels={levels} at {where}", {rel: body.encode()}

    def deep_nesting(self, rng: random.Random, depth: int | None = None
                     ) -> tuple[str, Overrides]:
        depth = _param(rng.choice([100, 1000, 5000, size(rng, 10, 200_000)]), depth)
        rel = self._pick_file(rng)
        tree = self.tree(rel)
        nodes = [p for p, _ in _walk(tree) if p]
        path = rng.choice(nodes)
        style = rng.randrange(3)
        token = ("[" * depth + "]" * depth if style == 0 else "{a: " * depth + "1" + "}" * depth
                 if style == 1 else "[" * depth + "1" + "]" * depth)
        tree = _set(tree, path, "__FUZZ0__")
        return f"structure deep_nesting {rel} depth={depth}", {
            rel: _dump(tree, {"__FUZZ0__": token})}

    def file_ops(self, rng: random.Random) -> tuple[str, Overrides]:
        rel = rng.choice(self.files)
        op = rng.choice(["delete", "empty", "dir", "symlink_zero", "symlink_loop", "fifo_like",
                         "sparse", "extra_rules", "only_comment", "not_yaml_ext"])
        if op == "delete":
            return f"files delete {rel}", {rel: None}
        if op == "empty":
            return f"files empty {rel}", {rel: b""}
        if op == "dir":
            return f"files dir {rel}", {rel: Special("dir")}
        if op == "symlink_zero":
            return f"files symlink {rel}->/dev/zero", {rel: Special("symlink", "/dev/zero")}
        if op == "symlink_loop":
            return f"files symlink loop {rel}", {rel: Special("symlink", Path(rel).name)}
        if op == "fifo_like":
            return f"files symlink {rel}->/dev/stdin", {rel: Special("symlink", "/dev/stdin")}
        if op == "sparse":
            n = rng.choice([64 * 1024**2, 600 * 1024**2, 1536 * 1024**2])
            return f"files sparse {rel} {n}", {rel: Special("sparse", size=n)}
        if op == "extra_rules":
            src = rng.choice(self.rule_files)
            return f"files extra rules copy of {src}", {"rules/99_extra.yaml": self.texts[src]}
        if op == "only_comment":
            return f"files only comment {rel}", {rel: b"# nothing\n"}
        return "files rules/x.yml", {"rules/zz.yml": self.texts[self.rule_files[0]]}

    def generate(self, rng: random.Random, param: int | None = None
                 ) -> tuple[str, Overrides]:
        """A hostile pack; `param` overrides a structural change's size (for shrinking)."""
        ops = ["value", "text", "chain", "diamond", "many_rules", "many_areas", "many_inputs",
               "many_steps", "many_bands", "rename_area", "long_ids", "huge_text", "alias_bomb",
               "deep_nesting", "file_ops", *self.new_ops]
        weights = [45, 18, 3, 3, 3, 2, 2, 2, 1, 3, 2, 2, 2, 3, 4] + [3] * len(self.new_ops)
        op = rng.choices(ops, weights=weights)[0]
        if op in SIZED:
            what, overrides = getattr(self, op)(rng, param)
            return what, overrides
        what, overrides = getattr(self, "_" + op if op in ("value", "text") else op)(rng)
        if op == "value" and rng.random() < 0.25:  # a second change, elsewhere
            more, extra = self._value(rng)
            for rel, data in extra.items():
                if rel not in overrides:
                    overrides[rel] = data
                    what += " + " + more
        return what, overrides
