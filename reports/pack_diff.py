"""A pack comparison (`cchc.engine.pack.diff.PackDiff`) as a table or as JSON (`cchc-score diff`).

The table gives, per section (pack, rules, areas, bands, conventions, facts, metrics,
requirements), one row per item added or removed and one row per field changed, with its dotted
path and both values (long values cut short; the JSON keeps them whole). Headings are Vietnamese
then English. Identical packs print "Không có khác biệt / no differences".

The JSON shape (`"format": "cchc-score/pack-diff/1"`; within a format fields are only added):

    {"format": …, "identical": bool,
     "from": {"id", "version", "sha256", "location", "shipped"}, "to": {…},
     "rules": {"added": [{"id", "value"}], "removed": [{"id", "value"}],
               "changed": [{"id", "changes": [{"path", "kind", "from", "to"}]}]},
     "areas": {…}, "bands": {…}, "conventions": {…}, "facts": {…}, "metrics": {…},
     "requirements": {…},                       (each shaped as "rules")
     "pack": {"changes": [{"path", "kind", "from", "to"}]}}

`kind` is `changed`, `added` (the path is absent from the first pack: `from` is null) or
`removed` (absent from the second: `to` is null). Values are plain JSON, as the pack files
give them. The same two packs always give the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from tabulate import tabulate

from cchc.engine.pack.diff import SECTIONS, Change, PackDiff, PackSide, SectionDiff

DIFF_FORMAT = "cchc-score/pack-diff/1"

SECTION_TITLES = {
    "rules": "Quy tắc / rules",
    "areas": "Lĩnh vực / areas",
    "bands": "Xếp loại / bands",
    "conventions": "Quy ước của gói / conventions",
    "facts": "Dữ kiện / facts",
    "metrics": "Chỉ số tính / metrics",
    "requirements": "Yêu cầu của Kế hoạch / requirements",
}
KIND_WORDS = {"added": "thêm / added", "removed": "bỏ / removed", "changed": "đổi / changed"}
HEADERS = ["Mã / id", "Thay đổi / change", "Trường / field", "Cũ / from", "Mới / to"]
MAX_SHOWN = 120  # a value longer than this is cut in the table (never in the JSON)
NO_DIFFERENCES = "Không có khác biệt / no differences"


# --- JSON ------------------------------------------------------------------------------------


def _side_json(side: PackSide) -> dict[str, Any]:
    return {"id": side.id, "version": side.version, "sha256": side.sha256,
            "location": side.location, "shipped": side.shipped}


def _change_json(change: Change) -> dict[str, Any]:
    return {"path": change.path, "kind": change.kind, "from": change.before, "to": change.after}


def _section_json(section: SectionDiff) -> dict[str, Any]:
    return {
        "added": [{"id": item.id, "value": item.value} for item in section.added],
        "removed": [{"id": item.id, "value": item.value} for item in section.removed],
        "changed": [{"id": item.id, "changes": [_change_json(c) for c in item.changes]}
                    for item in section.changed],
    }


def diff_json(diff: PackDiff) -> dict[str, Any]:
    """The comparison in the documented JSON shape (as Python data)."""
    out: dict[str, Any] = {"format": DIFF_FORMAT, "identical": diff.identical,
                           "from": _side_json(diff.before), "to": _side_json(diff.after)}
    for name in SECTIONS:
        out[name] = _section_json(diff.sections[name])
    out["pack"] = {"changes": [_change_json(change) for change in diff.pack]}
    return out


def render_diff_json(diff: PackDiff) -> str:
    """The comparison as JSON text, ending in a newline."""
    return json.dumps(diff_json(diff), ensure_ascii=False, indent=2) + "\n"


# --- table -----------------------------------------------------------------------------------


def shown(value: Any) -> str:
    """A value as a table cell: plain words and numbers as they are, the rest as JSON."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str | int | float):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def _summary(value: Any) -> str:
    """A short name for an item added or removed: its title or label, and its points."""
    if not isinstance(value, dict):
        return shown(value)
    named = value.get("title") or value.get("label") or value
    words = named.get("vi") if isinstance(named, dict) else named
    text = shown(words) if isinstance(words, str) else ""
    if "points" in value:
        text = f"{text} ({shown(value['points'])} điểm / points)".strip()
    if value.get("min_index") is not None:
        text = f"{text} (≥ {shown(value['min_index'])} %)".strip()
    if value.get("min_points") is not None:
        text = f"{text} (≥ {shown(value['min_points'])} điểm / points)".strip()
    return text


def _side_line(label: str, side: PackSide) -> str:
    where = "đi kèm công cụ / shipped" if side.shipped else "KHÔNG phải gói đi kèm / not shipped"
    return (f"  {label + ':':<11} {side.id} {side.version} — sha256 {side.sha256[:12]}… — "
            f"{where} — {side.location}")


def _rows(section: SectionDiff) -> list[list[str]]:
    rows = [[item.id, KIND_WORDS["added"], "", "", _summary(item.value)]
            for item in section.added]
    rows += [[item.id, KIND_WORDS["removed"], "", _summary(item.value), ""]
             for item in section.removed]
    for item in section.changed:
        for change in item.changes:
            rows.append([item.id, KIND_WORDS[change.kind], change.path, shown(change.before),
                         shown(change.after)])
    return rows


def _counts(section: SectionDiff) -> str:
    parts = [(len(section.added), "thêm", "added"), (len(section.removed), "bỏ", "removed"),
             (len(section.changed), "đổi", "changed")]
    return ", ".join(f"{vi} {n} / {en} {n}" for n, vi, en in parts if n)


def render_diff_table(diff: PackDiff) -> str:
    """The comparison as terminal tables, one per section that differs."""
    lines = ["So sánh gói quy tắc / rule pack comparison",
             _side_line("Từ / from", diff.before), _side_line("Đến / to", diff.after), ""]
    if diff.before.id != diff.after.id:
        lines += ["Lưu ý: hai gói có mã khác nhau (hai kế hoạch khác nhau?). Quy tắc được ghép "
                  "theo mã; hai quy tắc cùng mã của hai kế hoạch có thể chấm hai việc khác nhau.",
                  "Note: the two packs have different ids (two different plans?). Rules are "
                  "paired by id; two rules of one id in two plans may score different duties.",
                  ""]
    if diff.identical:
        lines.append(NO_DIFFERENCES)
        if diff.before.sha256 != diff.after.sha256:
            lines.append("  (các tệp khác nhau — chú thích, cách trình bày — nhưng nội dung như "
                         "nhau / the files differ — comments, layout — but read the same)")
        return "\n".join(lines) + "\n"
    widths = [None, None, 40, 40, 40]
    if diff.pack:
        lines += ["Gói / pack (pack.yaml)", tabulate(
            [[KIND_WORDS[c.kind], c.path, shown(c.before), shown(c.after)] for c in diff.pack],
            headers=HEADERS[1:], disable_numparse=True, maxcolwidths=widths[1:]), ""]
    for name in SECTIONS:
        section = diff.sections[name]
        if section.empty:
            continue
        lines += [f"{SECTION_TITLES[name]}: {_counts(section)}",
                  tabulate(_rows(section), headers=HEADERS, disable_numparse=True,
                           maxcolwidths=widths), ""]
    return "\n".join(lines)
