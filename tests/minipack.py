"""Write small rule packs for tests: one area or a few, the facts and rules a test needs, and a
requirement per rule, so a test states only what it is about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Writes shared values out in full (a rule pack refuses YAML aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_pack(folder: Path, rules: list[dict[str, Any]], facts: dict[str, Any],
               metrics: dict[str, Any] | None = None, areas: list[dict[str, Any]] | None = None,
               year: int = 2025, **meta: Any) -> Path:
    """A pack in `folder`: each rule gets defaults (title, source, quote, reading, area,
    requirement), its area's points are the sum of its rules' unless `areas` says."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules").mkdir(exist_ok=True)
    full_rules = []
    for rule in rules:
        full = {"area": "a", "title": {"vi": rule["id"], "en": rule["id"]},
                "source": {"vi": "mục 1", "en": "item 1"}, "quote": "lời Kế hoạch",
                "reading": {"vi": "đọc", "en": "read"}, "points": 1,
                "scoring": {"method": "all_or_nothing"}, **rule}
        full.setdefault("requirements", [f"R.{rule['id']}"])
        full_rules.append(full)
    if areas is None:
        totals: dict[str, float] = {}
        for rule in full_rules:
            if rule.get("effect", "score") == "score":
                totals[rule["area"]] = totals.get(rule["area"], 0) + rule["points"]
        areas = [{"id": area, "vi": area, "en": area, "points": points}
                 for area, points in totals.items()]
    manifest = {
        "id": meta.pop("id", "mini"), "version": "1", "title": {"vi": "Gói thử", "en": "Test pack"},
        "year": year, "plan": {"document": "KH thử", "issuer": "UBND", "unit": "Phường thử",
                               "issued_on": f"{year}-01-05", "source_file": "none"},
        "max_points": sum(area["points"] for area in areas),
        "bands": [{"id": "tot", "vi": "Tốt", "en": "Good", "min_index": 50},
                  {"id": "yeu", "vi": "Yếu", "en": "Weak", "min_index": 0}],
        "areas": areas, **meta}
    requirements = [{"id": req, "area": rule["area"],
                     "source_vi": "mục 1", "quote_vi": "lời", "en": "words"}
                    for rule in full_rules for req in rule["requirements"]]
    dump = {"allow_unicode": True, "sort_keys": False, "Dumper": _Dumper}
    (folder / "pack.yaml").write_text(yaml.dump(manifest, **dump), encoding="utf-8")
    (folder / "facts.yaml").write_text(yaml.dump(
        {"facts": facts, "metrics": metrics or {}}, **dump), encoding="utf-8")
    (folder / "requirements.yaml").write_text(yaml.dump(
        {"requirements": requirements}, **dump), encoding="utf-8")
    (folder / "rules" / "rules.yaml").write_text(yaml.dump({"rules": full_rules}, **dump),
                                                 encoding="utf-8")
    return folder


def count_fact(label: str = "Số") -> dict[str, Any]:
    """A plain count fact."""
    return {"type": "count", "label": {"vi": label, "en": label}}


def ratio_metric(numerator: str, denominator: str, label: str = "nhãn") -> dict[str, Any]:
    """A rate in %, numerator / denominator × 100."""
    return {"kind": "ratio", "label": {"vi": label, "en": label}, "numerator": numerator,
            "denominator": denominator, "unit": {"vi": "%", "en": "%"}}
