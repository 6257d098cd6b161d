"""Check a rule pack as a whole: references, points, coverage and what the engine can compile.

Each file's shape is checked by the schema on loading; this module checks what spans files:
every name a rule or metric reads exists, metrics do not depend on themselves, each test and
scoring method suits the type of what it reads, points add up (rules to their area, areas to the
pack), every requirement of the plan is encoded by at least one rule, every declared fact is read,
and each area fits within durable_rules' limit of properties per fact. All problems are reported
together, as one PackError (exit status 3) naming the file, the rule id and the field.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from cchc.engine import durable
from cchc.engine.errors import PackError, Problem
from cchc.engine.numbers import fmt
from cchc.engine.pack.catalogue import check_catalogue
from cchc.engine.pack.model import Pack
from cchc.rules.schema import DATE_OPS, EachMetric, FactSpec, Rule, Test

_UPWARD = {">", ">="}
_DOWNWARD = {"<", "<="}


def _check_names(pack: Pack, problems: list[Problem]) -> None:
    clash = set(pack.facts) & set(pack.metrics)
    for name in sorted(clash):
        problems.append(Problem(f"facts.yaml: {name}", "tên vừa là dữ kiện vừa là chỉ số",
                                "the name is both a fact and a metric"))
    refs = {name: metric.operands for name, metric in pack.metrics.items()}
    for name, parts in refs.items():
        metric = pack.metrics[name]
        for part in parts:
            if part not in pack.facts and part not in pack.metrics:
                problems.append(Problem(f"facts.yaml: metrics.{name}",
                                        f"tham chiếu tới dữ kiện không tồn tại '{part}'",
                                        f"refers to an unknown fact '{part}'"))
                continue
            wanted = _OPERAND_KINDS[metric.kind]
            inner = pack.metrics.get(part)
            if inner is not None and inner.kind == "days_between":
                problems.append(Problem(f"facts.yaml: metrics.{name}",
                                        f"'{part}' đếm số ngày đến một việc có thể chưa làm: "
                                        "quy tắc kiểm tra trực tiếp, không tính tiếp từ nó",
                                        f"'{part}' counts days to a deliverable that may not be "
                                        "done: rules test it directly, nothing is computed "
                                        "from it"))
                continue
            if pack.kind_of(part) not in wanted:
                vi, en = _KIND_WORDS[wanted[0]]
                problems.append(Problem(f"facts.yaml: metrics.{name}",
                                        f"'{part}' không phải là {vi}",
                                        f"'{part}' is not {en}"))
        if metric.kind == "each" and pack.facts.get(metric.of) is not None:
            _check_item(name, metric, pack.facts[metric.of], problems)
        if metric.kind == "days_between" and metric.rolls_over and (
                metric.count != "calendar" or pack.meta.calendar is None):
            problems.append(Problem(f"facts.yaml: metrics.{name}", "rolls_over (Điều 148 BLDS) "
                                    "dùng cho ngày theo lịch và cần lịch ngày làm việc "
                                    "(calendar) trong pack.yaml", "rolls_over (Civil Code art. "
                                    "148) is for calendar days and needs a calendar in pack.yaml"))
        if metric.kind in ("days_between", "each") and pack.meta.calendar is None and \
                getattr(metric.item if metric.kind == "each" else metric, "count", "") == "working":
            problems.append(Problem(f"facts.yaml: metrics.{name}", "đếm ngày làm việc cần lịch "
                                    "ngày làm việc (calendar) trong pack.yaml",
                                    "counting working days needs a calendar in pack.yaml"))

    _check_depths(refs, problems)


# What each metric kind may be computed from (a fact's or metric's kind, see Pack.kind_of).
_OPERAND_KINDS: dict[str, tuple[str, ...]] = {
    "ratio": ("numeric",), "difference": ("numeric",), "change": ("numeric", "level"),
    "all": ("boolean",), "days_between": ("date",), "per_period": ("dates",),
    "each": ("table",)}
_KIND_WORDS = {"numeric": ("số nên không tính được", "a number and cannot be computed with"),
               "boolean": ("dữ kiện đúng/sai", "a yes/no fact"),
               "date": ("dữ kiện ngày", "a date fact"),
               "dates": ("danh sách ngày (type: dates)", "a list of dates (type: dates)"),
               "table": ("bảng (type: table)", "a table (type: table)")}
_COLUMN_KINDS = {"column": ("count", "number"), "reduction": ("count", "number"),
                 "days_between": ("date",)}


def _check_item(name: str, metric: EachMetric, table: FactSpec, problems: list[Problem]) -> None:
    """The columns a per-row value reads exist and have the type it needs."""
    columns = table.columns or {}
    wanted = _COLUMN_KINDS[metric.item.kind]
    for column in metric.item.columns:
        spec = columns.get(column)
        if spec is None or spec.type not in wanted:
            problems.append(Problem(f"facts.yaml: metrics.{name}.item",
                                    f"bảng '{metric.of}' không có cột {'/'.join(wanted)} "
                                    f"'{column}'", f"table '{metric.of}' has no "
                                    f"{'/'.join(wanted)} column '{column}'"))


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
    adjustments = pack.adjustment_area
    if adjustments is not None and adjustments in pack.area_by_id:
        problems.append(Problem("pack.yaml: adjustments.id", f"'{adjustments}' đã là mã một lĩnh "
                                "vực", f"'{adjustments}' is already an area's id"))
    by_points = {b.min_points is not None for b in pack.meta.bands}
    if len(by_points) > 1:
        problems.append(Problem("pack.yaml: bands", "mọi mức xếp loại cùng theo chỉ số "
                                "(min_index) hoặc cùng theo điểm (min_points)",
                                "every band uses min_index, or every band min_points"))
    if pack.meta.bands[-1].min_area_share is not None:
        problems.append(Problem("pack.yaml: bands", "mức xếp loại cuối cùng không được có điều "
                                "kiện lĩnh vực (min_area_share): phường nào cũng phải có một mức",
                                "the last band cannot have an area condition (min_area_share): "
                                "every ward must get a band"))
    minimums = [b.bound for b in pack.meta.bands]
    if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums) \
            or minimums[-1] != 0:
        problems.append(Problem("pack.yaml: bands",
                                "các mức xếp loại phải giảm dần (min_index hoặc min_points) và "
                                "mức cuối bắt đầu từ 0", "bands must be in decreasing order of "
                                "their bound (min_index or min_points), the last at 0"))


def _reachable_below(op: str, value: Decimal, than_op: str, than_value: Decimal) -> bool:
    """Whether threshold (op, value) admits values the stronger (than_op, than_value) refuses."""
    if op in _UPWARD:
        return value < than_value or (value == than_value and op == ">=" and than_op == ">")
    return value > than_value or (value == than_value and op == "<=" and than_op == "<")


def _check_rule(pack: Pack, rule: Rule, problems: list[Problem]) -> None:
    where = f"{pack.rule_files.get(rule.id, 'rules')}: quy tắc / rule {rule.id}"

    def problem(field: str, vi: str, en: str) -> None:
        problems.append(Problem(f"{where}: {field}", vi, en))

    if rule.area not in pack.area_by_id and rule.area != pack.adjustment_area:
        problem("area", f"lĩnh vực không tồn tại '{rule.area}'", f"unknown area '{rule.area}'")
    for req in rule.requirements:
        if req not in pack.requirement_by_id:
            problem("requirements", f"mã yêu cầu không có trong danh mục '{req}'",
                    f"requirement id not in the catalogue '{req}'")
    method = rule.scoring
    tests = [(f"test.{rule.test.combine}[{i}]" if len(rule.test.parts) > 1 else "test", part)
             for i, part in enumerate(rule.test.parts)]
    if rule.applies_if is not None:
        tests.append(("applies_if", rule.applies_if))
    if not all(_check_test(pack, field, part, problem) for field, part in tests):
        return
    _check_effect(pack, rule, problem)
    if rule.applies_if is not None and rule.applies_if.metric in rule.test.metrics:
        problem("applies_if", "điều kiện áp dụng không được là chính chỉ số quy tắc kiểm tra "
                "(quy tắc sẽ không bao giờ 'không đạt')", "the condition cannot be the very "
                "value the rule tests (the rule could never be 'not met')")
    for field, part in tests:
        spec = pack.metrics.get(part.metric)
        if spec is not None and spec.kind == "days_between" and part.op not in ("<", "<="):
            problem(f"{field}.op", "số ngày để hoàn thành được kiểm tra bằng '<=' hoặc '<' (việc "
                    "chưa làm không bao giờ đạt)", "days to a deliverable are tested with '<=' "
                    "or '<' (a deliverable not done never meets it)")
    if len(rule.test.parts) > 1 and method.method != "all_or_nothing":
        problem("scoring.method", "phép kiểm tra kép (all/any) chỉ chấm cả hoặc không",
                "a compound test (all/any) is scored all_or_nothing")
        return
    test = rule.test.parts[0]
    kind = pack.kind_of(test.metric)
    if len(rule.inputs) > durable.MAX_INPUTS_PER_FACT:
        problem("test", f"quy tắc đọc {len(rule.inputs)} dữ kiện, quá "
                f"{durable.MAX_INPUTS_PER_FACT} dữ kiện một tập quy tắc durable_rules nhận "
                "được; hãy tách quy tắc", f"the rule reads {len(rule.inputs)} inputs, more "
                f"than the {durable.MAX_INPUTS_PER_FACT} one durable_rules ruleset can take; "
                "split it")
    if method.method == "on_time":
        if test.op not in DATE_OPS:
            problem("scoring.method", "'on_time' chỉ dùng với op 'done_by' hoặc 'before'",
                    "'on_time' goes with op 'done_by' or 'before'")
        else:
            last = test.last_day
            for index, tier in enumerate(method.tiers()):
                end = tier.last_day(test.last_day)  # every tier counts from the deadline
                if end < last:
                    problem(f"scoring.late[{index}]", "mức nộp muộn không được kết thúc trước "
                            "mức đứng trước (hay trước hạn chót)", "a late tier cannot end "
                            "before the one before it (or before the deadline)")
                last = max(last, end)
    if method.method == "linear" and not (test.op in _UPWARD and kind == "numeric"
                                          and isinstance(test.value, Decimal)
                                          and test.value > method.from_ >= 0):
        problem("scoring.method", "'linear' cần op '>=' hoặc '>' với ngưỡng dương, lớn hơn "
                "'from'", "'linear' needs op '>=' or '>' and a positive threshold above 'from'")
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


def _check_test(pack: Pack, field: str, test: Test, problem: Callable[[str, str, str], None]
                ) -> bool:
    """Whether one plain test suits what it reads (problems appended); False if it reads an
    unknown name."""
    kind = pack.kind_of(test.metric)
    if kind is None:
        problem(f"{field}.metric", f"dữ kiện hoặc chỉ số không tồn tại '{test.metric}'",
                f"unknown fact or metric '{test.metric}'")
        return False
    if kind in ("dates", "table"):
        problem(f"{field}.metric", f"'{test.metric}' là danh sách; hãy kiểm tra một chỉ số tính "
                "từ nó (per_period, each)", f"'{test.metric}' is a list; test a metric computed "
                "from it (per_period, each)")
    if (test.op in DATE_OPS) != (kind == "date"):
        problem(f"{field}.op", "'done_by', 'before' dùng cho (và chỉ cho) dữ kiện ngày",
                "'done_by' and 'before' are for date facts, and date facts take only them")
    if kind == "boolean" and not (test.op == "==" and test.value is True):
        problem(field, "dữ kiện đúng/sai được kiểm tra bằng op '==' và value true",
                "a boolean fact is tested with op '==' and value true")
    if kind == "numeric" and isinstance(test.value, bool | str):
        problem(f"{field}.value", "cần một ngưỡng số", "a numeric threshold is expected")
    if kind == "level":
        spec = pack.facts[test.metric]
        ids = ", ".join(level.id for level in spec.levels or ())
        if not isinstance(test.value, str) or spec.level_position(test.value) is None:
            problem(f"{field}.value", f"'{test.value}' không phải mã một mức của "
                    f"'{test.metric}' (mức được so theo mã, không theo vị trí): {ids}",
                    f"'{test.value}' is not the id of one of '{test.metric}''s levels (levels "
                    f"are compared by id, never by position): {ids}")
    elif isinstance(test.value, str):
        problem(f"{field}.value", f"'{test.value}' là mã mức, nhưng '{test.metric}' không phải "
                "dữ kiện mức", f"'{test.value}' is a level id, but '{test.metric}' is not a "
                "level fact")
    return True


def _check_effect(pack: Pack, rule: Rule, problem: Callable[[str, str, str], None]) -> None:
    """Bonus and penalty rules live in the pack's adjustments, and only there."""
    adjustments = pack.adjustment_area
    if rule.effect == "score" and adjustments is not None and rule.area == adjustments:
        problem("effect", "quy tắc thuộc mục điểm thưởng, điểm trừ cần 'effect: bonus' hoặc "
                "'effect: penalty'", "a rule of the bonus and penalty points needs 'effect: "
                "bonus' or 'effect: penalty'")
    if rule.effect == "penalty" and any(pack.needs_evidence(name) for name in rule.inputs):
        problem("effect", "điểm trừ không được dựa trên dữ kiện cần tài liệu kiểm chứng: thiếu tài "
                "liệu thì điểm trừ sẽ mất khỏi điểm dự kiến thẩm định", "a penalty cannot rest on "
                "a fact that needs evidence: without the document the penalty would vanish from "
                "the projected appraisal")
    if rule.effect != "score":
        if rule.area != adjustments:
            problem("area", f"điểm thưởng, điểm trừ thuộc mục '{adjustments}' khai báo trong "
                    "pack.yaml (adjustments)", f"bonus and penalty rules belong to the "
                    f"adjustments declared in pack.yaml ('{adjustments}')")
        if rule.scoring.method != "all_or_nothing":
            problem("scoring.method", "điểm thưởng, điểm trừ chấm cả hoặc không",
                    "bonus and penalty rules are scored all_or_nothing")


def _partial_credit(rule: Rule) -> bool:
    """Whether the rule's method can give points for a missed target."""
    method = rule.scoring
    if method.method == "on_time":
        test = rule.test.parts[0]
        return test.op in DATE_OPS and method.gives_late_credit(test.last_day)
    return method.method != "all_or_nothing"


def _check_convention(pack: Pack, rule: Rule, problems: list[Problem]) -> None:
    """A rule of a kind a convention covers uses it or says why not; partial credit the plan
    does not state comes from a convention."""
    where = f"{pack.rule_files.get(rule.id, 'rules')}: quy tắc / rule {rule.id}"
    kind = pack.value_kind(rule.test.metric)
    op = "done_by" if rule.test.op == "before" else rule.test.op
    covering = [c.id for c in pack.meta.conventions
                if op in c.applies_to.ops and kind in c.applies_to.kinds
                and len(rule.test.parts) == 1 and rule.effect == "score"]
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


def _check_calendar(pack: Pack, problems: list[Problem]) -> None:
    """A calendar's days fall in the span it covers; a make-up working day is a weekend day
    that is not a holiday."""
    calendar = pack.meta.calendar
    if calendar is None:
        return
    span = calendar.covers
    off = {day for holiday in calendar.holidays for day in holiday.days()}
    for index, holiday in enumerate(calendar.holidays):
        if not (span.from_ <= holiday.from_ and (holiday.to or holiday.from_) <= span.to):
            problems.append(Problem(f"pack.yaml: calendar.holidays[{index}]",
                                    "ngày nghỉ nằm ngoài khoảng lịch (covers)",
                                    "the holiday is outside the span the calendar covers"))
    for index, day in enumerate(calendar.working_days):
        if day.weekday() < 5 or day in off or not span.from_ <= day <= span.to:
            problems.append(Problem(f"pack.yaml: calendar.working_days[{index}]",
                                    "ngày làm bù phải là thứ Bảy hoặc Chủ nhật trong khoảng lịch, "
                                    "không trùng ngày nghỉ", "a make-up working day is a Saturday "
                                    "or Sunday within the calendar's span, not a holiday"))


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
        if all(pack.kind_of(name) is not None for name in rule.inputs):
            _check_convention(pack, rule, problems)
    _check_ceilings(pack, problems)
    _check_calendar(pack, problems)
    _check_totals(pack, problems)
    named = {req for rule in pack.rules for req in rule.requirements}
    for req in pack.requirements:
        if req.id not in named and req.encoded_in is None:
            problems.append(Problem(f"requirements.yaml: {req.id}",
                                    "yêu cầu của kế hoạch chưa có quy tắc nào chấm",
                                    "no rule encodes this requirement of the plan"))
        if req.area not in pack.area_by_id and req.area != pack.adjustment_area:
            problems.append(Problem(f"requirements.yaml: {req.id}",
                                    f"lĩnh vực không tồn tại '{req.area}'",
                                    f"unknown area '{req.area}'"))
    read = {f for rule in pack.rules for name in rule.inputs for f in pack.base_facts(name)}
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
    check_catalogue(pack, problems)
    if problems:
        raise PackError(pack.location, problems)
