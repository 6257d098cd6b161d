"""Load a rule pack: read its YAML files, check their shape, check the whole, and hash them.

A pack is found by id among the shipped packs (`cchc.rules`), by a folder path, or by the year of
the facts file. Every problem becomes a PackError (exit status 3) naming the pack file, the rule
id and the field; a duplicate YAML key is an error, not a silent overwrite.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from cchc.engine.errors import PackError, Problem, input_error, pack_error, usage_error
from cchc.engine.messages import describe
from cchc.rules import PACK_MANIFEST, shipped_packs
from cchc.rules.schema import (
    Bilingual,
    FactSpec,
    FactsSection,
    Metric,
    PackMeta,
    Requirement,
    RequirementsSection,
    Rule,
    RulesFile,
)

FACTS_FILE = "facts.yaml"
REQUIREMENTS_FILE = "requirements.yaml"
RULES_DIR = "rules"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """A safe YAML loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@dataclass
class Pack:
    """A loaded, checked rule pack, with lookups the later stages need."""

    meta: PackMeta
    facts: dict[str, FactSpec]
    metrics: dict[str, Metric]
    requirements: list[Requirement]
    rules: list[Rule]
    location: str
    file_hashes: dict[str, str] = field(default_factory=dict)
    rule_files: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.requirement_by_id = {r.id: r for r in self.requirements}
        self.area_by_id = {a.id: a for a in self.meta.areas}

    @property
    def sha256(self) -> str:
        """One hash over all the pack's files (name and content), stable across machines."""
        digest = hashlib.sha256()
        for name, file_hash in sorted(self.file_hashes.items()):
            digest.update(f"{name}\0{file_hash}\n".encode())
        return digest.hexdigest()

    def kind_of(self, name: str) -> str | None:
        """'numeric', 'boolean' or 'date' for a fact or metric name; None if unknown."""
        if name in self.metrics:
            return "numeric"
        spec = self.facts.get(name)
        if spec is None:
            return None
        return {"boolean": "boolean", "date": "date"}.get(spec.type, "numeric")

    def base_facts(self, name: str) -> tuple[str, ...]:
        """The reported facts a fact or metric is computed from, in order, without repeats."""
        metric = self.metrics.get(name)
        if metric is None:
            return (name,) if name in self.facts else ()
        out: dict[str, None] = {}
        for part in metric.operands:
            out.update(dict.fromkeys(self.base_facts(part)))
        return tuple(out)

    def unit_of(self, name: str) -> Bilingual | None:
        """The unit of a fact or metric, if it has one."""
        metric = self.metrics.get(name)
        return metric.unit if metric is not None else self.facts[name].unit

    def needs_evidence(self, name: str) -> bool:
        """Whether any reported fact behind `name` must carry evidence."""
        return any(self.facts[f].evidence_required for f in self.base_facts(name))

    def bounded_pairs(self) -> list[tuple[str, str]]:
        """(part, whole) pairs whose part can never exceed its whole: a bounded ratio's
        numerator and denominator, a non-negative difference's subtrahend and minuend."""
        pairs = []
        for metric in self.metrics.values():
            if metric.kind == "ratio" and metric.bounded:
                pairs.append((metric.numerator, metric.denominator))
            elif metric.kind == "difference" and metric.non_negative:
                pairs.append((metric.subtrahend, metric.minuend))
        return pairs

    def previous_year_facts(self) -> list[str]:
        """The facts whose last-year value some rule compares against, in pack order."""
        needed: dict[str, None] = {}
        for metric in self.metrics.values():
            if metric.kind == "change":
                needed.update(dict.fromkeys(self.base_facts(metric.of)))
        return [name for name in self.facts if name in needed]

    def rules_of(self, area_id: str) -> list[Rule]:
        """The rules of one area, in pack order."""
        return [r for r in self.rules if r.area == area_id]


def _read_yaml(folder: Traversable, relative: str, display: str,
               hashes: dict[str, str]) -> Any:
    entry = folder.joinpath(*relative.split("/"))
    if not entry.is_file():
        raise pack_error(display, relative, "thiếu tệp của gói quy tắc", "missing pack file")
    raw = entry.read_bytes()
    hashes[relative] = hashlib.sha256(raw).hexdigest()
    try:
        return yaml.load(raw.decode("utf-8"), Loader=_StrictLoader)
    except UnicodeDecodeError:
        raise pack_error(f"{display}/{relative}", "$", "tệp không phải UTF-8",
                         "the file is not UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"dòng {mark.line + 1} / line {mark.line + 1}" if mark else "$"
        problem = getattr(exc, "problem", None) or str(exc)
        raise pack_error(f"{display}/{relative}", where, f"YAML không hợp lệ: {problem}",
                         f"invalid YAML: {problem}") from None


def _validated(model: type[BaseModel], data: Any, file: str, raw_rules: Any = None) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = list(error["loc"])
            where = ".".join(str(p) for p in loc) or "$"
            if raw_rules is not None and len(loc) >= 2 and loc[0] == "rules":
                try:
                    rule_id = raw_rules["rules"][loc[1]]["id"]
                    where = f"quy tắc / rule {rule_id}: " + ".".join(str(p) for p in loc[2:])
                except (KeyError, IndexError, TypeError):
                    pass
            vi, en = describe(error)
            problems.append(Problem(where, vi, en))
        raise PackError(file, problems) from None


def load_pack(folder: Traversable, display: str) -> Pack:
    """Read and check the pack in `folder`; `display` names it in errors."""
    from cchc.engine.packcheck import check_pack  # the check reads Pack; avoid an import cycle

    hashes: dict[str, str] = {}
    meta = _validated(PackMeta, _read_yaml(folder, PACK_MANIFEST, display, hashes),
                      f"{display}/{PACK_MANIFEST}")
    facts = _validated(FactsSection, _read_yaml(folder, FACTS_FILE, display, hashes),
                       f"{display}/{FACTS_FILE}")
    requirements = _validated(RequirementsSection,
                              _read_yaml(folder, REQUIREMENTS_FILE, display, hashes),
                              f"{display}/{REQUIREMENTS_FILE}")
    rules_dir = folder.joinpath(RULES_DIR)
    if not rules_dir.is_dir():
        raise pack_error(display, RULES_DIR, "thiếu thư mục quy tắc", "missing rules folder")
    rules: list[Rule] = []
    rule_files: dict[str, str] = {}
    for entry in sorted(rules_dir.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        relative = f"{RULES_DIR}/{entry.name}"
        raw = _read_yaml(folder, relative, display, hashes)
        for rule in _validated(RulesFile, raw, f"{display}/{relative}", raw_rules=raw).rules:
            rules.append(rule)
            rule_files.setdefault(rule.id, relative)
    pack = Pack(meta=meta, facts=facts.facts, metrics=facts.metrics,
                requirements=requirements.requirements, rules=rules, location=display,
                file_hashes=hashes, rule_files=rule_files)
    check_pack(pack)
    return pack


def resolve_pack(option: str | None, facts_pack: str | None, year: int | None,
                 facts_file: str = "") -> Pack:
    """The pack named on the command line, else the one the facts file names, else by year.

    `option` may be a shipped pack id or a folder path. A year no shipped pack covers is an
    input error (exit status 2), naming the years that are covered.
    """
    shipped = shipped_packs()
    wanted = option or facts_pack
    if wanted:
        if wanted in shipped:
            return load_pack(shipped[wanted], wanted)
        path = Path(wanted)
        if path.is_dir():
            return load_pack(path, str(path))
        args = (f"không có gói quy tắc '{wanted}'", f"no rule pack '{wanted}'",
                f"một trong: {', '.join(shipped)}, hoặc thư mục của một gói",
                f"one of: {', '.join(shipped)}, or a pack folder")
        if option:
            raise usage_error(f"--pack {option}", *args)
        raise input_error(facts_file, "$.pack", *args)
    years = {name: _validated(PackMeta, _read_yaml(folder, PACK_MANIFEST, name, {}),
                              f"{name}/{PACK_MANIFEST}").year
             for name, folder in shipped.items()}
    if year is None:  # no facts file to go by: the newest plan
        year = max(years.values(), default=None)
    matching = [name for name, pack_year in years.items() if pack_year == year]
    if len(matching) == 1:
        return load_pack(shipped[matching[0]], matching[0])
    covered = ", ".join(str(y) for y in sorted(set(years.values())))
    raise input_error(facts_file, "$.year",
                      f"không có gói quy tắc nào cho năm {year}"
                      if not matching else f"nhiều gói quy tắc cho năm {year}",
                      f"no rule pack covers the year {year}"
                      if not matching else f"several rule packs cover {year}",
                      f"năm có gói quy tắc: {covered} (hoặc chọn --pack)",
                      f"years with a pack: {covered} (or choose --pack)")
