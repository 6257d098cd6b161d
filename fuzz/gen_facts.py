"""Hostile facts files: real ones (the pack's case files — cases/*.json for the shipped pack,
<pack>/case/*.json for another —, the pack tests' base ward with a test case's facts laid over
it, the template) mutated at the JSON-tree level (hostile values, wrong types at any path, many
keys, deep nesting, long and unusual strings, duplicate keys, hostile evidence
paths; for a pack with `dates` and `table` facts, hostile lists and tables: huge lists, rows
with cells of the wrong type, non-identifier keys, nested lists, false and null cells, dates far
away) and at the byte level (flips, truncation, duplication, BOM, UTF-16, cp1258, invalid
UTF-8), plus whole-file shapes known to hurt parsers.

`FactsGenerator.generate(rng)` gives (description, bytes); the same rng state gives the same
bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import os
import random
from pathlib import Path
from typing import Any

import yaml

from fuzz import jsontree as jt
from fuzz.jsontree import Obj, Raw

# An evidence file beside the facts file ("big.bin"): sparse, so it costs no disk, but hashing it
# reads 3 GiB.
BIG_FILE_BYTES = 3 * 1024**3
MAX_PAYLOAD = 6 * 2**20  # larger payloads are cut: the reader refuses over 5 MiB unread


def size(rng: random.Random, low: int, high: int) -> int:
    """Log-uniform in [low, high]: mostly small, sometimes huge."""
    return int(math.exp(rng.uniform(math.log(low), math.log(high + 1)))) if high > low else low


NUMBER_TOKENS = [
    "0", "-0", "1", "-1", "0.0", "-0.0", "1.5", "2.000", "12.600", "1.0", "1e3", "1E+3", "1e-3",
    "1e-6", "1e-7", "0.000001", "0.0000001", "1.0000001", "99.999999", "100.0000001",
    "1e-1000000", "-1e-1000000", "0e-1000000", "0E+1000000", "1e999", "-1e999", "1e308",
    "1e309", "1.7976931348623157e308", "5e-324", "1e999999999", "1e-999999999",
    "1E+999999999", "9e999999999999999999", "1e-9999999999999999999", "9007199254740993",
    "999999999", "1000000000", "1000000001", "2147483648", "18446744073709551616",
    "999999999999.999999", "1000000000000", "1000000000000.000001", "-1000000000000",
    "-1000000000000.1", "1e12", "1e13", "123456789.123456", "0.1", "100", "1000", "1001",
    "NaN", "Infinity", "-Infinity", "2024", "2023", "2025", "1999", "2101", "0.5e1", "-2e-1",
]

STRING_VALUES = [
    "", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "\ud83d\ude00", "\u202e2024-01-01",
    "\u200f", "\u2028", "\ufeff", "\u00a0", "\t", "\r\n", "\\", '"', "'", "null", "true",
    "1", "1.5", "1e999", "１２", "٣", "𝟐", "２０２４-01-01", "٢٠٢٤-٠١-٠١", "२०२४-०१-०१",
    "𝟐𝟎𝟐𝟒-01-01", "2024-02-30", "30/02/2024", "31/04/2024", "29/02/2023", "29/02/2024",
    "00/00/0000", "0/0/0000", "1/1/2024", "2024-1-1", "2024-13-01", "9999-12-31",
    "0000-01-01", "0001-01-01", "01/01/0001", "31/12/9999", "2024-01-01T00:00:00",
    " 2024-01-01 ", "2024-01-01\u0000", "\u20002024-01-01\u3000", "01/01/10000",
    "99/99/9999", "2024-02-01", "15/03/2024", "01/02/2024", "2025-01-15", "2023-12-20",
    "{share}", "{0}", "{}", "%s%s%n", "<script>alert(1)</script>", "|marker", "x|met|0|True",
    "$and", "__proto__", "Phường 5", "Phu\u031bo\u0300ng 5", "PHƯỜNG 5", "hoan_thanh_tot",
    "Hoàn thành tốt nhiệm vụ", "HOÀN THÀNH XUẤT SẮC NHIỆM VỤ", "xuat_sac", "khong_hoan_thanh",
    "\u0958\u0959\ufb2c" * 10, "e\u0301" * 50, "ﷺ" * 20, "ǅ", "İ", "ß", "ﬃ",
    "../../../../etc/passwd", "/dev/zero", "C:\\con\\aux", "file:///etc/passwd",
]

# Evidence file paths (relative to the facts file's folder unless absolute).
FILE_PATHS = [
    "ok.pdf", "empty.pdf", "big.bin", "fifo", "loop", "folder", "folder/", ".", "..", "/",
    "", "missing.pdf", "/dev/zero", "/dev/null", "/dev/stdin", "/dev/urandom", "/proc/self/fd/0",
    "a\u0000b", "ok.pdf\u0000.txt", "x" * 300, "/".join(["d"] * 2000), "../" * 200 + "etc",
    "\ud800.pdf", "ÓK.pdf", "ok\u0301.pdf", "~/ok.pdf", "$HOME/ok.pdf", "*", "ok.pdf/..",
]

SHA_VALUES = ["0" * 64, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
              "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
              "0" * 63, "0" * 65, "g" * 64, "", "０" * 64, "0" * 64 + "\n"]

ODD_CHARS = ["a", "ư", "ờ", "\u0000", "\\", '"', "\u0301", "\ud800", "😀", "\u202e", "٣", "\n",
             "\u0958", "\ufdfa", " ", "{", "%", "\x7f", "\u2028"]


def _long_string(rng: random.Random) -> str:
    n = size(rng, 10, 3_000_000)
    alphabet = rng.sample(ODD_CHARS, rng.randint(1, 4))
    if rng.random() < 0.5:
        return rng.choice(alphabet) * n
    return "".join(rng.choice(alphabet) for _ in range(min(n, 200_000)))


def _big_digits(rng: random.Random) -> Raw:
    n = rng.choice([4299, 4300, 4301, 5000, size(rng, 20, 4_900_000)])
    body = "9" * n if rng.random() < 0.5 else "1" + "0" * (n - 1)
    shape = rng.randrange(5)
    if shape == 0:
        return Raw(body)
    if shape == 1:
        return Raw("-" + body)
    if shape == 2:
        return Raw(body + ".0")
    if shape == 3:
        return Raw("0." + body)
    return Raw(body[: n // 2] + "." + body[n // 2:] + "e-" + str(rng.randint(0, 10**6)))


def hostile_scalar(rng: random.Random) -> Any:
    """A value a careless reader chokes on."""
    pick = rng.randrange(10)
    if pick < 3:
        return Raw(rng.choice(NUMBER_TOKENS))
    if pick == 3:
        return _big_digits(rng)
    if pick < 6:
        return rng.choice(STRING_VALUES)
    if pick == 6:
        return _long_string(rng)
    if pick == 7:
        return rng.choice([None, True, False])
    if pick == 8:
        return Raw(f"{rng.choice(['', '-'])}{rng.randint(0, 10**rng.randint(1, 30))}"
                   f"{rng.choice(['', '.0', '.5', '.000001', '.0000001', 'e3', 'e-3', 'e400'])}")
    return rng.choice(FILE_PATHS)


def wrong_type(rng: random.Random) -> Any:
    return copy.deepcopy(rng.choice([
        None, True, False, Raw("0"), Raw("-1"), Raw("1.5"), "", "x", [], Obj(), [Raw("1")],
        [[]], Obj([("value", Raw("1"))]), Obj([("", None)]), [None] * 3,
        Obj([("value", "2024-02-01"), ("evidence", [Obj([("title", "t")])])]),
    ]))


def hostile_value(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.7:
        return hostile_scalar(rng)
    if roll < 0.85:
        return wrong_type(rng)
    return _nested(rng, hostile_scalar(rng))


def _nested(rng: random.Random, inner: Any) -> Raw:
    depth = rng.choice([31, 32, 33, 34, 64, 500, 1000, size(rng, 2, 300_000)])
    kind = rng.randrange(3)
    inner_text = jt.dumps(inner)
    if kind == 0:
        return Raw("[" * depth + inner_text + "]" * depth)
    if kind == 1:
        return Raw('{"a":' * depth + inner_text + "}" * depth)
    return Raw('[{"value":' * depth + inner_text + "}]" * depth)


def _key_variant(rng: random.Random, key: str) -> str:
    import unicodedata

    choice = rng.randrange(10)
    if choice == 0:
        return key.upper()
    if choice == 1:
        return unicodedata.normalize("NFD", key + "ờ")
    if choice == 2:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in key)  # fullwidth
    if choice == 3:
        return key + "\u200d"
    if choice == 4:
        return key + " "
    if choice == 5:
        return key.replace("o", "\u043e")  # Cyrillic o
    if choice == 6:
        return key[:-1] if len(key) > 1 else key + key
    if choice == 7:
        return key + "\u0000"
    if choice == 8:
        return key * size(rng, 2, 20000)
    return "\ud800" + key


DEFAULT_PACK = "phuong5-2024"


def case_files(root: Path, pack_dir: Path) -> list[Path]:
    """The facts files a pack is tried with: cases/*.json for the shipped pack, the pack
    folder's case/*.json (or cases/*.json) for any other."""
    pack_dir = Path(pack_dir).resolve()
    if pack_dir == (root / "rules" / DEFAULT_PACK).resolve():
        return sorted(path for path in (root / "cases").glob("*.json")
                      if not path.name.endswith(".appraisal.json"))  # the city's, not facts
    for sub in ("case", "cases"):
        found = sorted((pack_dir / sub).glob("*.json"))
        if found:
            return found
    return []


class FactsGenerator:
    """Makes hostile facts files from the project's own."""

    def __init__(self, root: Path, pack_dir: Path | None = None) -> None:
        pack_dir = Path(pack_dir) if pack_dir is not None else root / "rules" / DEFAULT_PACK
        self.pack_dir = pack_dir
        self.seeds: list[tuple[str, Any]] = []
        for path in case_files(root, pack_dir):
            rel = os.path.relpath(path, root) if path.is_relative_to(root) else str(path)
            self.seeds.append((rel, jt.loads(path.read_text("utf-8"))))
        tests = pack_dir / "tests"
        base = yaml.safe_load((tests / "base.yaml").read_text("utf-8")) \
            if (tests / "base.yaml").is_file() else None
        self.base = base
        if isinstance(base, dict):
            self.seeds.append(("tests/base.yaml", jt.from_python(base)))
        self.overrides: list[dict[str, Any]] = []
        for path in sorted(tests.glob("0*.yaml")) if isinstance(base, dict) else []:
            for case in (yaml.safe_load(path.read_text("utf-8")) or {}).get("cases", []):
                if isinstance(case.get("facts"), dict):
                    self.overrides.append(case)
        facts_yaml = yaml.safe_load((pack_dir / "facts.yaml").read_text("utf-8"))
        self.fact_names = list(facts_yaml["facts"])
        self.fact_types = {name: spec["type"] for name, spec in facts_yaml["facts"].items()}
        self.fact_levels = {name: [level["id"] for level in spec.get("levels") or []]
                            for name, spec in facts_yaml["facts"].items()}
        # dates and table facts: what the list and table mutations aim at
        self.list_facts = [name for name, kind in self.fact_types.items()
                           if kind in ("dates", "table")]
        self.fact_columns = {name: dict((spec.get("columns") or {}).items())
                             for name, spec in facts_yaml["facts"].items()
                             if spec.get("type") == "table"}
        self.fact_keys = {name: spec.get("key") for name, spec in facts_yaml["facts"].items()
                          if spec.get("type") == "table"}
        self.plan_year = int(base.get("year") or 2024) if isinstance(base, dict) else 2024
        try:
            from cchc.engine.pack.load import resolve_pack
            from cchc.engine.publish import facts_template

            if pack_dir.resolve() == (root / "rules" / DEFAULT_PACK).resolve():
                template = facts_template(resolve_pack("phuong5-2024", None, None))
                template["unit"]["ward"] = "Phường 5"
                template["prepared_on"] = "2025-01-15"
            else:
                template = facts_template(resolve_pack(str(pack_dir.resolve()), None, None))
                template["unit"]["ward"] = "Phường mẫu"
                template["prepared_on"] = str(base.get("prepared_on") or "")
            self.seeds.append(("template", jt.loads(json.dumps(template, ensure_ascii=False))))
        except Exception:  # the template is a nice-to-have seed, never a reason to stop
            pass

    # --- seeds -----------------------------------------------------------------------------

    def _seed(self, rng: random.Random) -> tuple[str, Any]:
        if self.overrides and rng.random() < 0.35:  # base ward + one pack-test case's facts
            data = copy.deepcopy(self.base)
            case = rng.choice(self.overrides)
            data["facts"].update(copy.deepcopy(case["facts"]))
            if isinstance(case.get("previous_year"), dict):
                data["previous_year"] = copy.deepcopy(case["previous_year"])
            for key in ("prepared_on", "year", "unit"):
                if key in case:
                    data[key] = copy.deepcopy(case[key])
            return "tests/base.yaml+case", jt.from_python(data)
        name, tree = rng.choice(self.seeds)
        return name, copy.deepcopy(tree)

    # --- tree mutations --------------------------------------------------------------------

    def _fact_position(self, rng: random.Random, tree: Any) -> jt.Path | None:
        """A fact's value (bare, or an entry's value) this year or last year."""
        section = ("facts",) if rng.random() < 0.8 else ("previous_year", "facts")
        facts_path = jt.find_key(tree, *section)
        if facts_path is None:
            return None
        facts = jt.get(tree, facts_path)
        if not isinstance(facts, Obj) or not facts:
            return None
        index = rng.randrange(len(facts))
        entry = facts[index][1]
        if isinstance(entry, Obj) and rng.random() < 0.8:
            value_at = jt.find_key(entry, "value")
            if value_at is not None:
                return (*facts_path, index, *value_at)
        return (*facts_path, index)

    def _evidence_position(self, rng: random.Random, tree: Any) -> jt.Path | None:
        """An evidence item's field (file, sha256, date, page, …)."""
        found = []
        facts_path = jt.find_key(tree, "facts")
        facts = jt.get(tree, facts_path) if facts_path is not None else None
        if not isinstance(facts, Obj):
            return None
        for index, (_, entry) in enumerate(facts):
            if isinstance(entry, Obj):
                ev_at = jt.find_key(entry, "evidence")
                if ev_at is not None and isinstance(jt.get(entry, ev_at), list) \
                        and jt.get(entry, ev_at):
                    found.append((*facts_path, index, *ev_at))
        if not found:
            return None
        ev_path = rng.choice(found)
        items = jt.get(tree, ev_path)
        item_index = rng.randrange(len(items))
        item = items[item_index]
        if not isinstance(item, Obj):
            return (*ev_path, item_index)
        field = rng.choice(["file", "file", "sha256", "date", "page", "number", "title"])
        at = jt.find_key(item, field)
        if at is None:
            item.append((field, None))
            at = (len(item) - 1,)
        return (*ev_path, item_index, *at)

    def plausible(self, rng: random.Random, name: str) -> Any:
        """A value a ward could really report for the fact `name` (edges included)."""
        kind = self.fact_types.get(name, "count")
        if kind in ("count", "rank"):
            return Raw(str(rng.choice([0, 1, 2, 3, 5, 10, 99, 100, 101, 1000, 10**9, 10**9 + 1,
                                       rng.randint(0, 2000), rng.randint(0, 10**9)])))
        if kind == "number":
            whole = rng.choice([0, 1, 50, 79, 80, 85, 99, 100, 101, 1000, 10**12,
                                rng.randint(0, 10**6)])
            frac = rng.choice(["", ".0", ".5", ".99", ".000001", ".999999",
                               f".{rng.randint(0, 999999):06d}"])
            return Raw(f"{whole}{frac}")
        if kind == "boolean":
            return rng.random() < 0.7
        if kind == "date":
            if rng.random() < 0.1:
                return False
            day = rng.randint(0, 4 * 366)
            date = dt.date(2022, 6, 1) + dt.timedelta(days=day)
            return date.isoformat() if rng.random() < 0.5 else date.strftime("%d/%m/%Y")
        if kind == "level":
            return rng.choice(self.fact_levels.get(name) or ["x"])
        if kind == "dates":
            return [self._plan_date(rng) for _ in range(rng.choice([0, 1, 2, 3, 5, 12]))]
        if kind == "table":
            return [self._row(rng, name, i) for i in range(rng.choice([0, 1, 2, 3, 8]))]
        return None

    # --- dates lists and tables ------------------------------------------------------------

    def _plan_date(self, rng: random.Random, far: bool = False) -> str:
        """A day around the plan year (or, `far`, anywhere a date can be written)."""
        if far:
            return rng.choice([*FAR_DATES, f"{self.plan_year + 1}-12-31",
                               f"{self.plan_year - 1}-01-01", f"31/12/{self.plan_year + 1}",
                               f"{self.plan_year + 2}-01-01"])
        date = dt.date(self.plan_year - 1, 10, 1) + dt.timedelta(days=rng.randint(0, 550))
        return date.isoformat() if rng.random() < 0.7 else date.strftime("%d/%m/%Y")

    def _cell(self, rng: random.Random, kind: str, i: int) -> Any:
        if kind == "date":
            return self._plan_date(rng)
        if kind == "number":
            return Raw(rng.choice(["0", "1", "3", "5", "7.5", "10", "15", "20", "30",
                                   str(rng.randint(0, 100))]))
        return f"TT-{i:03d}/{self.plan_year}"

    def _row(self, rng: random.Random, name: str, i: int) -> Obj:
        columns = self.fact_columns.get(name) or {}
        return Obj((col, self._cell(rng, (spec or {}).get("type", "text")
                                    if isinstance(spec, dict) else "text", i))
                   for col, spec in columns.items())

    def _list_position(self, rng: random.Random, tree: Any) -> tuple[jt.Path, str] | None:
        """A dates or table fact's value (bare, or an entry's value), this year or last."""
        section = ("facts",) if rng.random() < 0.85 else ("previous_year", "facts")
        facts_path = jt.find_key(tree, *section)
        facts = jt.get(tree, facts_path) if facts_path is not None else None
        if not isinstance(facts, Obj):
            return None
        name = rng.choice(self.list_facts)
        for index, (key, entry) in enumerate(facts):
            if key == name:
                if isinstance(entry, Obj):
                    value_at = jt.find_key(entry, "value")
                    if value_at is not None:
                        return (*facts_path, index, *value_at), name
                return (*facts_path, index), name
        facts.append((name, None))
        return (*facts_path, len(facts) - 1), name

    def hostile_list(self, rng: random.Random, name: str, current: Any) -> tuple[Any, str]:
        """A hostile dates list or table for the fact `name` (its current value as a start)."""
        table = self.fact_types.get(name) == "table"
        columns = list(self.fact_columns.get(name) or {})
        key_column = self.fact_keys.get(name)
        if isinstance(current, list) and current:
            items = [copy.deepcopy(item) for item in current]
        else:
            items = self.plausible(rng, name) or ([self._row(rng, name, 0)] if table
                                                  else [self._plan_date(rng)])
        how = rng.choice(["huge", "wrong_cells", "bad_keys", "nested", "false_null", "far_dates",
                          "dup_keys", "shape", "huge", "far_dates", "wrong_cells"])
        if how == "huge":
            n = rng.choice([1001, 10_000, 100_000, size(rng, 10, 300_000)])
            if rng.random() < 0.5:  # distinct items (each row its own key, each day its own)
                made = [self._row(rng, name, i) if table else self._plan_date(rng)
                        for i in range(min(n, 5000))]
                return made * (n // len(made) + 1) if len(made) < n else made, f"{how} {n}"
            return [items[i % len(items)] for i in range(min(len(items), 20))] * (
                n // min(len(items), 20) + 1), f"{how} {n}"
        if how == "wrong_cells":
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(items))
                if table and isinstance(items[i], Obj) and items[i]:
                    col = rng.randrange(len(items[i]))
                    key, _ = items[i][col]
                    items[i][col] = (key, hostile_value(rng) if rng.random() < 0.6
                                     else wrong_type(rng))
                else:
                    items[i] = hostile_value(rng) if rng.random() < 0.6 else wrong_type(rng)
            return items, how
        if how == "bad_keys" and table:
            row = items[rng.randrange(len(items))]
            if isinstance(row, Obj) and row:
                col = rng.randrange(len(row))
                key, value = row[col]
                new = rng.choice(["Ngày ký", "ngay ky", "", " ", "1abc", "a-b", "__proto__",
                                  "$and", "id", "sid", "_area", key.upper(), key + "\u0000",
                                  _key_variant(rng, key), key + "|x", "x" * 5000])
                row[col] = (new, value)
                if rng.random() < 0.3:  # and the column's own key again, twice
                    row.append((key, value))
                    row.append((key, hostile_value(rng)))
            return items, how
        if how == "nested" or how == "bad_keys":
            shape = rng.randrange(5)
            if shape == 0:
                return [items], "nested [[…]]"
            if shape == 1:
                return [[item] for item in items], "nested items in lists"
            if shape == 2 and table:
                return [[v for _, v in row] if isinstance(row, Obj) else row for row in items], \
                    "nested rows as lists"
            if shape == 3:
                return Obj([(str(i), item) for i, item in enumerate(items)]), "nested as object"
            return _nested(rng, items), "nested deep"
        if how == "false_null":
            pick = rng.randrange(4)
            if pick == 0:
                return rng.choice([[None], [False], [True], None, False, True, [], [[]],
                                   [Obj()], ""]), how
            for i in range(len(items)):
                if rng.random() < 0.5:
                    if table and isinstance(items[i], Obj) and items[i]:
                        col = rng.randrange(len(items[i]))
                        items[i][col] = (items[i][col][0], rng.choice([None, False, True]))
                    else:
                        items[i] = rng.choice([None, False, True])
            return items, how
        if how == "far_dates":
            for item in items:
                if table and isinstance(item, Obj):
                    for col, (key, _) in enumerate(item):
                        spec = (self.fact_columns.get(name) or {}).get(key)
                        if isinstance(spec, dict) and spec.get("type") == "date" \
                                and rng.random() < 0.7:
                            item[col] = (key, self._plan_date(rng, far=True))
            if not table:
                items = [self._plan_date(rng, far=rng.random() < 0.7) for _ in items]
            return items, how
        if how == "dup_keys" and table and key_column:
            row = copy.deepcopy(rng.choice(items))
            n = rng.choice([2, 3, 100, size(rng, 2, 50_000)])
            if rng.random() < 0.5 and isinstance(row, Obj):  # the key column left out
                row = Obj((k, v) for k, v in row if k != key_column)
            return [row] * n, f"{how} {n}"
        if how == "dup_keys":
            return items + items, how
        # shape: ragged rows, empty rows, rows that are not objects, unknown columns
        for i in range(len(items)):
            roll = rng.random()
            if roll < 0.25:
                items[i] = Obj()
            elif roll < 0.5 and isinstance(items[i], Obj) and items[i]:
                del items[i][rng.randrange(len(items[i]))]
            elif roll < 0.7 and isinstance(items[i], Obj):
                items[i].append((rng.choice(["ghi_chu", "x", columns[0] if columns else "y"]),
                                 hostile_scalar(rng)))
            elif roll < 0.85:
                items[i] = rng.choice(["2025-01-01", Raw("1"), "", [], None])
        return items, how

    def _plausible_change(self, rng: random.Random, tree: Any) -> None:
        facts_path = jt.find_key(tree, "facts")
        facts = jt.get(tree, facts_path) if facts_path is not None else None
        if not isinstance(facts, Obj):
            return
        name = rng.choice(self.fact_names)
        value = self.plausible(rng, name) if rng.random() < 0.9 else None
        current = facts.get(name)
        if isinstance(current, Obj) and jt.find_key(current, "value") is not None:
            current.set("value", value)
        else:
            facts.set(name, value)

    def _mutate_tree(self, rng: random.Random, tree: Any, grown: bool = False
                     ) -> tuple[Any, str]:
        ops = ["fact_value", "any_value", "wrong_type", "delete", "duplicate_key", "many_keys",
               "deep_nest", "long_string", "big_list", "key_variant", "swap", "evidence",
               "header", "entry_shape", "root"]
        weights = [30, 12, 8, 5, 4, 0 if grown else 3, 0 if grown else 3,
                   0 if grown else 3, 0 if grown else 2, 4, 0 if grown else 2, 8, 6, 4, 1]
        if self.list_facts:  # a pack with dates and table facts (none in the shipped one)
            ops.append("list_value")
            weights.append(12 if not grown else 6)
        op = rng.choices(ops, weights=weights)[0]
        all_positions = jt.positions(tree)
        pos = rng.choice(all_positions)
        if op == "list_value":
            found = self._list_position(rng, tree)
            if found is not None:
                at, name = found
                value, how = self.hostile_list(rng, name, jt.get(tree, at))
                return jt.put(tree, at, value), f"list_value {name} {how}"
            op = "any_value"
        if op == "fact_value":
            fact_at = self._fact_position(rng, tree)
            if fact_at is not None:
                return jt.put(tree, fact_at, hostile_value(rng)), op
            op = "any_value"
        if op == "evidence":
            ev_at = self._evidence_position(rng, tree)
            if ev_at is not None:
                field = jt.get(tree, ev_at[:-1])[ev_at[-1]][0] \
                    if isinstance(jt.get(tree, ev_at[:-1]), Obj) else ""
                if field == "file":
                    value: Any = rng.choice(FILE_PATHS)
                    item = jt.get(tree, ev_at[:-1])
                    if isinstance(item, Obj) and rng.random() < 0.5:
                        item.set("sha256", rng.choice(SHA_VALUES))
                elif field == "sha256":
                    value = rng.choice(SHA_VALUES)
                else:
                    value = hostile_value(rng)
                return jt.put(tree, ev_at, value), f"evidence.{field}"
            op = "any_value"
        if op == "any_value":
            return jt.put(tree, pos, hostile_value(rng)), op
        if op == "wrong_type":
            return jt.put(tree, pos, wrong_type(rng)), op
        if op == "delete":
            return jt.remove(tree, pos), op
        if op == "header":
            key = rng.choice(["year", "pack", "prepared_on", "prepared_by", "unit", "facts",
                              "previous_year"])
            at = jt.find_key(tree, key)
            value = hostile_value(rng)
            if key == "year" and rng.random() < 0.5:
                value = Raw(rng.choice(["2023", "2025", "1999", "2101", "2024.0", "20240",
                                        "-2024", "1e3", "2024e0", "10000000000000000000000"]))
            if key == "pack" and rng.random() < 0.5:
                value = rng.choice(["phuong5-2024", "../phuong5-2024", "/", ".", "..", "rules",
                                    "phuong5-2024\u0000", "PHUONG5-2024", "/tmp", "x" * 5000,
                                    "phuong5-2024/", "cases"])
            if key == "previous_year" and rng.random() < 0.6:
                value = Obj([("year", Raw(rng.choice(["2023", "2024", "2022", "-1", "1e9"]))),
                             ("facts", Obj([(name, hostile_value(rng)) for name in
                                            rng.sample(self.fact_names, rng.randint(1, 6))]))])
            if at is None:
                if isinstance(tree, Obj):
                    tree.append((key, value))
                return tree, f"header.{key}"
            return jt.put(tree, at, value), f"header.{key}"
        container = jt.get(tree, pos)
        if op == "duplicate_key":
            objs = [p for p in all_positions if isinstance(jt.get(tree, p), Obj)
                    and jt.get(tree, p)]
            if objs:
                obj = jt.get(tree, rng.choice(objs))
                key, _ = rng.choice(obj)
                obj.append((key, hostile_value(rng) if rng.random() < 0.5 else None))
            return tree, op
        if op == "many_keys":
            objs = [p for p in all_positions if isinstance(jt.get(tree, p), Obj)]
            obj = jt.get(tree, rng.choice(objs)) if objs else tree
            if isinstance(obj, Obj):
                n = 100_000 if rng.random() < 0.25 else size(rng, 10, 150_000)
                style = rng.randrange(4)
                for i in range(n):
                    if style == 0:
                        key = f"k{i}"
                    elif style == 1:
                        key = rng.choice(self.fact_names) + f"_{i}"
                    elif style == 2:
                        key = f"{i:x}" * 30
                    else:
                        key = _key_variant(rng, rng.choice(self.fact_names))[:200] + str(i)
                    obj.append((key, Raw("1") if style % 2 else None))
            return tree, op
        if op == "deep_nest":
            return jt.put(tree, pos, _nested(rng, container if not isinstance(container, Raw)
                                             or len(container) < 1000 else None)), op
        if op == "long_string":
            return jt.put(tree, pos, _long_string(rng)), op
        if op == "big_list":
            n = size(rng, 10, 200_000)
            item = container if not isinstance(container, list) else Obj([("title", "t")])
            return jt.put(tree, pos, [copy.deepcopy(item) for _ in range(min(n, 20))] * (
                n // 20 + 1)), op
        if op == "key_variant":
            objs = [p for p in all_positions if isinstance(jt.get(tree, p), Obj)
                    and jt.get(tree, p)]
            if objs:
                obj = jt.get(tree, rng.choice(objs))
                index = rng.randrange(len(obj))
                key, value = obj[index]
                obj[index] = (_key_variant(rng, str(key)), value)
            return tree, op
        if op == "swap":
            other = jt.get(tree, rng.choice(all_positions))
            if pos and not _contains(other, container):
                return jt.put(tree, pos, copy.deepcopy(other)), op
            return tree, op
        if op == "entry_shape":
            fact_at = self._fact_position(rng, tree)
            if fact_at is not None:
                current = jt.get(tree, fact_at)
                extra = rng.choice([("pending", True), ("pending", Raw("1")), ("edition",
                                    Raw(rng.choice(["2024", "2023", "1999", "1e9", "2024.0"]))),
                                    ("evidence", []), ("evidence", hostile_value(rng)),
                                    ("note", _long_string(rng)), ("unknown", None)])
                return jt.put(tree, fact_at, Obj([("value", current), extra])), op
            return tree, op
        # root: not an object at all
        return rng.choice([[], "x", Raw("1"), None, [copy.deepcopy(tree)], Obj()]), op

    # --- byte mutations --------------------------------------------------------------------

    @staticmethod
    def _mutate_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        op = rng.choice(["flip", "insert", "delete", "duplicate", "truncate", "bom", "utf16",
                         "cp1258", "bad_utf8", "crlf", "nul"])
        buf = bytearray(data)
        if not buf:
            buf = bytearray(b"{}")
        if op == "flip":
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(buf))
                buf[i] ^= 1 << rng.randrange(8)
        elif op == "insert":
            token = rng.choice([b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xc0\x80",
                                b"\r", b"\\", b'"', b"\\u", b"\\ud800", b"{", b"[", b"]", b"}",
                                b",", b":", b"NaN", b"-", b".", b"e", b"\xe2\x80\xae",
                                bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))])
            i = rng.randrange(len(buf) + 1)
            buf[i:i] = token
        elif op == "delete":
            i = rng.randrange(len(buf))
            del buf[i:i + size(rng, 1, max(2, len(buf) // 2))]
        elif op == "duplicate":
            i = rng.randrange(len(buf))
            chunk = bytes(buf[i:i + size(rng, 1, 4096)])
            times = size(rng, 1, max(1, 5_300_000 // max(1, len(chunk))))
            buf[i:i] = chunk * times
        elif op == "truncate":
            del buf[rng.randrange(len(buf)):]
        elif op == "bom":
            buf[0:0] = rng.choice([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe",
                                   b"\xfe\xff", b"\xef\xbb"])
        elif op == "utf16":
            text = bytes(buf).decode("utf-8", "replace")
            buf = bytearray(text.encode(rng.choice(["utf-16", "utf-16-le", "utf-32"])))
        elif op == "cp1258":
            text = bytes(buf).decode("utf-8", "replace")
            buf = bytearray(text.encode("cp1258", "replace"))
        elif op == "bad_utf8":
            i = rng.randrange(len(buf) + 1)
            buf[i:i] = rng.choice([b"\x80", b"\xc3", b"\xe1\xba", b"\xf8\x88\x80\x80\x80",
                                   b"\xf4\x90\x80\x80", b"\xed\xbf\xbf"])
        elif op == "crlf":
            line_break = rng.choice([b"\r\n", b"\r", "\u2028".encode()])
            buf = bytearray(bytes(buf).replace(b"\n", line_break))
        else:
            i = rng.randrange(len(buf) + 1)
            buf[i:i] = b"\x00" * rng.randint(1, 4)
        return bytes(buf), op

    @staticmethod
    def _whole_file(rng: random.Random) -> tuple[bytes, str]:
        n = size(rng, 1, 2_600_000)
        shape = rng.randrange(12)
        if shape == 0:
            return b'["' + b'\\"' * n, "whole:unterminated_escapes"
        if shape == 1:
            return b"[" * n, "whole:open_brackets"
        if shape == 2:
            return b'{"a":' * (n // 5 + 1), "whole:open_objects"
        if shape == 3:
            return b'"' + b"a" * n, "whole:unterminated_string"
        if shape == 4:
            return b"9" * n, "whole:digits"
        if shape == 5:
            return b" " * n, "whole:spaces"
        if shape == 6:
            return b"", "whole:empty"
        if shape == 7:
            return bytes(random.Random(n).randrange(256) for _ in range(min(n, 100_000))), \
                "whole:random_bytes"
        if shape == 8:
            return b"[" + b"1," * (n // 2) + b"1]", "whole:long_array"
        if shape == 9:
            return b'{"facts": {' + b",".join(b'"k%d": 1' % i for i in range(min(n, 400_000))) \
                + b"}}", "whole:many_keys"
        if shape == 10:
            return b"[" * 31 + b'"' + b"\\" * (n * 2) + b'"' + b"]" * 31, "whole:backslashes"
        return b"\xef\xbb\xbf" * (n // 3 + 1) + b"{}", "whole:boms"

    def generate(self, rng: random.Random) -> tuple[str, bytes]:
        if rng.random() < 0.04:
            data, op = self._whole_file(rng)
            return op, data
        seed_name, tree = self._seed(rng)
        ops = [seed_name]
        changes = rng.choice([0, 1, 1, 2, 3, 6, 20])
        for _ in range(changes):
            self._plausible_change(rng, tree)
        if changes:
            ops.append(f"plausible x{changes}")
        hostile = 0 if rng.random() < 0.15 else rng.choice([1, 1, 1, 1, 2, 2, 3])
        grown = False
        for _ in range(hostile):
            tree, op = self._mutate_tree(rng, tree, grown)
            grown = grown or op in GROWING
            ops.append(op)
        text = jt.dumps(tree, indent=rng.choice([None, 2, 2, 4]))
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > MAX_PAYLOAD:  # the reader refuses anything over 5 MiB unread anyway
            data = data[:rng.choice([5 * 2**20, 5 * 2**20 + 1, MAX_PAYLOAD])]
            ops.append("cut")
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 3)):
                data, op = self._mutate_bytes(rng, data)
                ops.append("bytes:" + op)
        return " > ".join(ops), data


GROWING = {"many_keys", "deep_nest", "long_string", "big_list", "swap", "list_value"}

# Days a dates list or a table cell can name that are far from any plan year.
FAR_DATES = ["0001-01-01", "9999-12-31", "1900-01-01", "1970-01-01", "2100-12-31",
             "01/01/0001", "31/12/9999", "29/02/2100", "0000-01-01", "10000-01-01",
             "2024-02-30", "1582-10-10"]


def _contains(node: Any, target: Any) -> bool:
    """Whether `target` is `node` or inside it (so a swap never makes a cycle)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current is target:
            return True
        if isinstance(current, Obj):
            stack.extend(v for _, v in current)
        elif isinstance(current, list):
            stack.extend(current)
    return False
