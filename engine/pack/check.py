"""Check a rule pack as a whole: references, points, coverage and what the engine can compile.

Each file's shape is checked by the schema on loading; this module checks what spans files:
every name a rule or metric reads exists, metrics do not depend on themselves, each test and
scoring method suits the type of what it reads, points add up (rules to their area, areas to the
pack), every requirement of the plan is encoded by at least one rule, every declared fact is read,
and each area fits within durable_rules' limit of properties per fact. All problems are reported
together, as one PackError (exit status 3) naming the file, the rule id and the field.
"""

from __future__ import annotations

from decimal import Decimal

from cchc.engine import durable
from cchc.engine.errors import PackError, Problem
from cchc.engine.numbers import fmt
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Rule

_UPWARD = {">", ">="}
_DOWNWARD = {"<", "<="}


def _check_names(pack: Pack, problems: list[Problem]) -> None:
    clash = set(pack.facts) & set(pack.metrics)
    for name in sorted(clash):
        problems.append(Problem(f"facts.yaml: {name}", "tên vừa là dữ kiện vừa là chỉ số",
                                "the name is both a fact and a metric"))
    refs = {name: metric.operands for name, metric in pack.metrics.items()}
    for name, parts in refs.items():
        for part in parts:
            if part not in pack.facts and part not in pack.metrics:
                problems.append(Problem(f"facts.yaml: metrics.{name}",
                                        f"tham chiếu tới dữ kiện không tồn tại '{part}'",
                                        f"refers to an unknown fact '{part}'"))
            elif pack.metrics[name].kind == "all":
                if pack.facts.get(part) is None or pack.facts[part].type != "boolean":
                    problems.append(Problem(f"facts.yaml: metrics.{name}",
                                            f"'{part}' không phải là dữ kiện đúng/sai",
                                            f"'{part}' is not a yes/no fact"))
            elif pack.kind_of(part) != "numeric" or (
                    pack.facts.get(part) is not None and pack.facts[part].type == "level"
                    and pack.metrics[name].kind != "change"):
                problems.append(Problem(f"facts.yaml: metrics.{name}",
                                        f"'{part}' không phải là số nên không tính được",
                                        f"'{part}' is not a number and cannot be computed with"))

    _check_depths(refs, problems)


# Metrics built on metrics: deeper than this is no plan's arithmetic, and the later stages
# (which follow operands recursively) are guaranteed a short walk.
MAX_METRIC_DEPTH = 12


def _check_depths(refs: dict[str, tuple[str, ...]], problems: list[Problem]) -> None:
    """Refuse a metric that depends on itself, or sits more than MAX_METRIC_DEPTH metrics deep.
    Iterative, each metric visited once: a chain 1 200 deep or a diamond 26 levels high is
    answered at once, never by recursion."""
    depth: dict[str, int] = {}
    on_path: set[str] = set()
    for root in refs:
        if root in depth:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        on_path.add(root)
        while stack:
            name, index = stack[-1]
            parts = [part for part in refs[name] if part in refs]
            if index < len(parts):
                stack[-1] = (name, index + 1)
                part = parts[index]
                if part in on_path:
                    trail = [entry for entry, _ in stack]
                    cycle = " -> ".join((*trail[trail.index(part):], part))
                    problems.append(Problem(f"facts.yaml: metrics.{part}",
                                            f"chỉ số phụ thuộc vòng tròn: {cycle}",
                                            f"metric depends on itself: {cycle}"))
                    return
                if part not in depth:
                    on_path.add(part)
                    stack.append((part, 0))
                continue
            depth[name] = 1 + max((depth[part] for part in parts), default=0)
            on_path.discard(name)
            stack.pop()
            if depth[name] > MAX_METRIC_DEPTH:
                problems.append(Problem(f"facts.yaml: metrics.{name}",
                                        f"chỉ số lồng quá {MAX_METRIC_DEPTH} cấp chỉ số khác",
                                        f"the metric is built on more than {MAX_METRIC_DEPTH} "
                                        "levels of other metrics"))
                return


def _check_totals(pack: Pack, problems: list[Problem]) -> None:
    area_ids = [a.id for a in pack.meta.areas]
    for area_id in {a for a in area_ids if area_ids.count(a) > 1}:
        problems.append(Problem(f"pack.yaml: areas.{area_id}", "mã lĩnh vực bị trùng",
                                "duplicate area id"))
    area_total = sum((a.points for a in pack.meta.areas), Decimal(0))
    if area_total != pack.meta.max_points:
        problems.append(Problem("pack.yaml: areas", f"tổng điểm các lĩnh vực là "
                                f"{fmt(area_total)}, không bằng điểm tối đa "
                                f"{fmt(pack.meta.max_points)} (max_points)",
                                f"the areas' points add up to {fmt(area_total, 'en')}, not to "
                                f"max_points {fmt(pack.meta.max_points, 'en')}"))
    for area in pack.meta.areas:
        rules = pack.rules_of(area.id)
        total = sum((r.points for r in rules), Decimal(0))
        if total != area.points:
            files = sorted({pack.rule_files.get(r.id, "rules") for r in rules}) or ["rules"]
            problems.append(Problem(f"{', '.join(files)}: area {area.id}",
                                    f"tổng điểm các quy tắc là {fmt(total)}, lĩnh vực có "
                                    f"{fmt(area.points)} (pack.yaml)",
                                    f"the rules' points add up to {fmt(total, 'en')}, the area "
                                    f"has {fmt(area.points, 'en')} (pack.yaml)"))
        inputs = {r.test.metric for r in rules}
        if durable.fact_properties(len(inputs)) > durable.MAX_FACT_PROPERTIES:
            problems.append(Problem(f"rules: area {area.id}",
                                    f"lĩnh vực đọc quá nhiều dữ kiện ({len(inputs)}); hãy tách "
                                    "lĩnh vực", f"the area reads too many inputs ({len(inputs)}) "
                                    f"for one durable_rules fact ({durable.MAX_FACT_PROPERTIES} "
                                    "properties); split the area"))
    minimums = [b.min_index for b in pack.meta.bands]
    if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums) \
            or minimums[-1] != 0:
        problems.append(Problem("pack.yaml: bands",
                                "các mức xếp loại phải giảm dần và mức cuối bắt đầu từ 0",
                                "bands must be in decreasing order of min_index, the last at 0"))


def _reachable_below(op: str, value: Decimal, than_op: str, than_value: Decimal) -> bool:
    """Whether threshold (op, value) admits values the stronger (than_op, than_value) refuses."""
    if op in _UPWARD:
        return value < than_value or (value == than_value and op == ">=" and than_op == ">")
    return value > than_value or (value == than_value and op == "<=" and than_op == "<")


def _check_rule(pack: Pack, rule: Rule, problems: list[Problem]) -> None:
    where = f"{pack.rule_files.get(rule.id, 'rules')}: quy tắc / rule {rule.id}"

    def problem(field: str, vi: str, en: str) -> None:
        problems.append(Problem(f"{where}: {field}", vi, en))

    if rule.area not in pack.area_by_id:
        problem("area", f"lĩnh vực không tồn tại '{rule.area}'", f"unknown area '{rule.area}'")
    for req in rule.requirements:
        if req not in pack.requirement_by_id:
            problem("requirements", f"mã yêu cầu không có trong danh mục '{req}'",
                    f"requirement id not in the catalogue '{req}'")
    test, method = rule.test, rule.scoring
    kind = pack.kind_of(test.metric)
    if kind is None:
        problem("test.metric", f"dữ kiện hoặc chỉ số không tồn tại '{test.metric}'",
                f"unknown fact or metric '{test.metric}'")
        return
    if (test.op == "done_by") != (kind == "date"):
        problem("test.op", "'done_by' dùng cho (và chỉ cho) dữ kiện ngày",
                "'done_by' is for date facts, and date facts take only 'done_by'")
    if kind == "boolean" and not (test.op == "==" and test.value is True):
        problem("test", "dữ kiện đúng/sai được kiểm tra bằng op '==' và value true",
                "a boolean fact is tested with op '==' and value true")
    if kind == "numeric" and isinstance(test.value, bool):
        problem("test.value", "cần một ngưỡng số", "a numeric threshold is expected")
    if method.method == "on_time":
        if test.op != "done_by":
            problem("scoring.method", "'on_time' chỉ dùng với op 'done_by'",
                    "'on_time' goes with op 'done_by'")
        elif test.deadline and not isinstance(method.late_until, str) \
                and method.late_until < test.deadline:
            problem("scoring.late_until", "hạn nộp muộn trước hạn chót",
                    "late_until is before the deadline")
    if method.method == "linear" and not (test.op in _UPWARD and kind == "numeric"
                                          and isinstance(test.value, Decimal) and test.value > 0):
        problem("scoring.method", "'linear' cần op '>=' hoặc '>' với ngưỡng dương",
                "'linear' needs op '>=' or '>' and a positive threshold")
    if method.method == "deductions" and not (test.op == "==" and kind == "numeric"
                                              and test.value == 0):
        problem("scoring.method", "'deductions' cần op '==' với giá trị 0 trên một số đếm",
                "'deductions' needs op '==' and value 0 on a count")
    if method.method == "steps":
        if test.op not in _UPWARD | _DOWNWARD or kind != "numeric":
            problem("scoring.partial", "bậc điểm chỉ dùng với ngưỡng >, >=, <, <=",
                    "steps go with a >, >=, < or <= threshold")
            return
        direction = _UPWARD if test.op in _UPWARD else _DOWNWARD
        if not isinstance(test.value, Decimal):  # a boolean threshold: reported above
            return
        stronger_op, stronger_value, stronger_share = test.op, test.value, Decimal(1)
        for index, step in enumerate(method.partial):
            if step.op not in direction or not _reachable_below(
                    step.op, step.value, stronger_op, stronger_value):
                problem(f"scoring.partial[{index}]",
                        "bậc điểm phải yếu hơn ngưỡng đứng trước, cùng chiều",
                        "a step must be weaker than the threshold before it, same direction")
            if step.share > stronger_share:
                problem(f"scoring.partial[{index}].share",
                        "tỷ lệ điểm của bậc sau không được lớn hơn bậc trước",
                        "a later step cannot earn a larger share")
            stronger_op, stronger_value, stronger_share = step.op, step.value, step.share


def _partial_credit(rule: Rule) -> bool:
    """Whether the rule's method can give points for a missed target."""
    method = rule.scoring
    if method.method == "on_time":
        return method.gives_late_credit(rule.test.deadline)
    return method.method != "all_or_nothing"


def _check_convention(pack: Pack, rule: Rule, problems: list[Problem]) -> None:
    """A rule of a kind a convention covers uses it or says why not; partial credit the plan
    does not state comes from a convention."""
    where = f"{pack.rule_files.get(rule.id, 'rules')}: quy tắc / rule {rule.id}"
    kind = pack.value_kind(rule.test.metric)
    covering = [c.id for c in pack.meta.conventions
                if rule.test.op in c.applies_to.ops and kind in c.applies_to.kinds]
    if covering and rule.convention not in covering and rule.convention_exception is None:
        problems.append(Problem(
            f"{where}: scoring", f"quy tắc thuộc loại do quy ước {', '.join(covering)} điều chỉnh "
            "nhưng không dùng quy ước đó", f"the rule is of a kind convention "
            f"{', '.join(covering)} covers but does not use it",
            f"scoring: {{convention: {covering[0]}}}, hoặc convention_exception nói lý do",
            f"scoring: {{convention: {covering[0]}}}, or convention_exception saying why not"))
    if rule.convention is None and _partial_credit(rule) and not rule.partial_in_plan:
        problems.append(Problem(
            f"{where}: scoring", "điểm một phần không có trong Kế hoạch phải là một quy ước của "
            "gói quy tắc", "partial credit the plan does not state must be a pack convention",
            "scoring: {convention: …}, hoặc partial_in_plan trích câu của Kế hoạch",
            "scoring: {convention: …}, or partial_in_plan quoting the plan"))


def _check_ceilings(pack: Pack, problems: list[Problem]) -> None:
    for name, metric in pack.metrics.items():
        if metric.kind != "change" or metric.ceiling is None:
            continue
        spec = pack.facts.get(metric.of)
        ceiling = metric.ceiling
        where = f"facts.yaml: metrics.{name}.ceiling"
        if spec is not None and spec.type == "level":
            assert spec.levels is not None
            if ceiling not in [level.id for level in spec.levels]:
                problems.append(Problem(where, "mức trần phải là một mức của dữ kiện",
                                        "the ceiling must be one of the fact's levels"))
        elif isinstance(ceiling, str):
            problems.append(Problem(where, "mức trần phải là một số", "the ceiling must be a "
                                    "number"))


def check_pack(pack: Pack) -> None:
    """Raise PackError listing every cross-file problem of `pack`; return if there is none."""
    problems: list[Problem] = []
    _check_names(pack, problems)
    if problems:  # later checks follow metric references, which must be sound first
        raise PackError(pack.location, problems)
    rule_ids = [r.id for r in pack.rules]
    for rule_id in sorted({r for r in rule_ids if rule_ids.count(r) > 1}):
        problems.append(Problem(f"quy tắc / rule {rule_id}", "mã quy tắc bị trùng",
                                "duplicate rule id"))
    for rule in pack.rules:
        _check_rule(pack, rule, problems)
        if pack.kind_of(rule.test.metric) is not None:
            _check_convention(pack, rule, problems)
    _check_ceilings(pack, problems)
    _check_totals(pack, problems)
    named = {req for rule in pack.rules for req in rule.requirements}
    for req in pack.requirements:
        if req.id not in named:
            problems.append(Problem(f"requirements.yaml: {req.id}",
                                    "yêu cầu của kế hoạch chưa có quy tắc nào chấm",
                                    "no rule encodes this requirement of the plan"))
        if req.area not in pack.area_by_id:
            problems.append(Problem(f"requirements.yaml: {req.id}",
                                    f"lĩnh vực không tồn tại '{req.area}'",
                                    f"unknown area '{req.area}'"))
    read = {f for rule in pack.rules for f in pack.base_facts(rule.test.metric)}
    for name in pack.facts:
        if name not in read:
            problems.append(Problem(f"facts.yaml: facts.{name}",
                                    "dữ kiện được khai báo nhưng không quy tắc nào đọc",
                                    "the fact is declared but no rule reads it"))
    for name, spec in pack.facts.items():
        if spec.minimum is not None and spec.maximum is not None and spec.minimum > spec.maximum:
            problems.append(Problem(f"facts.yaml: facts.{name}", "minimum lớn hơn maximum",
                                    "minimum is above maximum"))
        if spec.levels is not None and len({lv.id for lv in spec.levels}) != len(spec.levels):
            problems.append(Problem(f"facts.yaml: facts.{name}.levels", "mức bị trùng",
                                    "duplicate level id"))
    if problems:
        raise PackError(pack.location, problems)
