"""A pack-test run for people: each failure as file, case, rule, expected and actual, then the
branch coverage and every branch no case reaches (`cchc-score test PACK`)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from cchc.engine.evaluate.compile import Branch
from cchc.engine.numbers import fmt
from cchc.scoring.packtest import Expectation, PackTestResult, TotalExpectation
from cchc.scoring.report import in_language

_KIND = {
    "met": ("đạt", "met"),
    "not_met": ("không đạt", "not met"),
    "missing": ("thiếu dữ liệu", "no data"),
    "not_applicable": ("không áp dụng", "not applicable"),
    "pending": ("chờ kết quả", "pending"),
}
# Levels of met and not met with a meaning of their own (see cchc.engine.evaluate.compile).
_LEVEL = {
    ("met", 1): ("đạt vì giữ mức cao nhất cả hai năm", "met by holding the top both years"),
    ("not_met", 1): ("không đạt vì ngày trước thời hạn của năm kế hoạch",
                     "not met: dated before the plan year's window"),
    ("not_applicable", 1): ("không áp dụng vì không thuộc trường hợp của quy tắc (applies_if)",
                            "not applicable: not the case the rule is for (applies_if)"),
    ("missing", 1): ("thiếu dữ liệu để biết quy tắc có áp dụng không (applies_if)",
                     "no data to know whether the rule applies (applies_if)"),
    ("pending", 1): ("chờ kết quả để biết quy tắc có áp dụng không (applies_if)",
                     "pending: whether the rule applies (applies_if)"),
}
_PARTIAL = {
    "steps": ("đạt bậc {level}", "step {level}"),
    "on_time": ("muộn, mức {level}", "late, tier {level}"),
    "linear": ("đạt một phần, theo tỷ lệ", "partly met, pro rata"),
    "deductions": ("bị trừ điểm", "points deducted"),
}


def branch_label(branch: Branch, method: str, lang: str) -> str:
    """A branch in words: 'đạt bậc 1, thiếu minh chứng' / 'step 1, evidence missing'."""
    column = 0 if lang == "vi" else 1
    if branch.kind == "partial":
        text = _PARTIAL[method][column].format(level=branch.level + 1)
    elif (branch.kind, branch.level) in _LEVEL:
        text = _LEVEL[(branch.kind, branch.level)][column]
    else:
        text = _KIND[branch.kind][column]
    if branch.evidence is True:
        text += ", có minh chứng" if lang == "vi" else ", with evidence"
    elif branch.evidence is False:
        text += ", thiếu minh chứng" if lang == "vi" else ", evidence missing"
    return text


def _expected(expected: Expectation | TotalExpectation, lang: str) -> str:
    if isinstance(expected, TotalExpectation):
        parts = [expected.band or ""]
        if expected.points is not None:
            parts.append(f"{fmt(expected.points, lang)} {'điểm' if lang == 'vi' else 'points'}")
        if expected.index is not None:
            parts.append(f"{'chỉ số' if lang == 'vi' else 'index'} {fmt(expected.index, lang)} %")
        return ", ".join(part for part in parts if part)
    text: str = expected.status
    word = "điểm" if lang == "vi" else "points"
    if expected.points is not None:
        text += f", {fmt(expected.points, lang)} {word}"
    if expected.appraisal_points is not None:
        label = "thẩm định" if lang == "vi" else "appraisal"
        text += f", {label} {fmt(expected.appraisal_points, lang)}"
    if expected.final_status is not None or expected.final_points is not None:
        final: list[str] = [expected.final_status or ""]
        if expected.final_points is not None:
            final.append(f"{fmt(expected.final_points, lang)} {word}")
        text += f"; {'kết quả thẩm định' if lang == 'vi' else 'appraised'}: " + \
            " ".join(part for part in final if part)
    return text


def _actual(status: str, points: Decimal, appraisal: Decimal, lang: str,
            total: bool = False) -> str:
    word = "điểm" if lang == "vi" else "points"
    label = "thẩm định" if lang == "vi" else "appraisal"
    if total:  # a total's band, points and index
        return (f"{status}, {fmt(points, lang)} {word}, "
                f"{'chỉ số' if lang == 'vi' else 'index'} {fmt(appraisal, lang)} %")
    return f"{status}, {fmt(points, lang)} {word}, {label} {fmt(appraisal, lang)}"


def render_pack_tests(result: PackTestResult, methods: Mapping[str, str],
                      lang: str = "vi", fail_under: Fraction = Fraction(100)) -> str:
    """The run as text; `methods` maps each rule id to its scoring method (for branch words);
    the verdict fails below `fail_under` % of branches as well as on a failed expectation."""
    vi = lang == "vi"
    origin = "" if result.shipped else (
        f" — KHÔNG phải gói đi kèm công cụ (sha256 {result.sha256[:16]}…, {result.location})"
        if vi else f" — NOT the shipped pack (sha256 {result.sha256[:16]}…, {result.location})")
    out = [f"{'Gói quy tắc' if vi else 'Rule pack'}: {result.pack_id} {result.pack_version}"
           f"{origin}",
           (f"{result.cases} trường hợp, {result.expectations} kỳ vọng, "
            f"{len(result.failures)} sai" if vi else
            f"{result.cases} cases, {result.expectations} expectations, "
            f"{len(result.failures)} failed")]
    for failure in result.failures:
        total = isinstance(failure.expected, TotalExpectation)
        out += ["",
                f"{'SAI' if vi else 'FAILED'}: {failure.file} · «{failure.case}» · {failure.rule}",
                f"  {'cần / expected' if vi else 'expected'}: {_expected(failure.expected, lang)}",
                f"  {'được / actual' if vi else 'actual'}:   "
                f"{_actual(failure.status, failure.points, failure.appraisal_points, lang, total)}"
                + ("" if failure.final is None else
                   f"; {'kết quả thẩm định' if vi else 'appraised'}: {failure.final[0]} "
                   f"{fmt(failure.final[1], lang)} {'điểm' if vi else 'points'}"),
                f"  {'kiểm tra' if vi else 'test'}: {in_language(failure.test, lang)}"]
    if result.failures:
        out += ["", "Sai khác do gói đã được sửa có chủ ý (một ngưỡng, một quy ước)? Khi đó sửa "
                "kỳ vọng (expect) và tên của các trường hợp trên trong tests/*.yaml cho khớp với "
                "cách chấm mới." if vi else "Failures after a deliberate change to the pack (a "
                "threshold, a convention)? Then update those cases' expectations (expect) and "
                "names in tests/*.yaml to the new reading."]
    percent = fmt(result.percent, lang, 1)
    out += ["", (f"Độ phủ nhánh: {result.covered}/{result.branches} nhánh ({percent} %)" if vi
                 else f"Branch coverage: {result.covered}/{result.branches} branches "
                      f"({percent} %)")]
    missed = [rule for rule in result.coverage if rule.missed]
    if missed:
        out.append("Nhánh chưa có trường hợp nào:" if vi else "Branches no case reaches:")
        for rule in missed:
            words = "; ".join(branch_label(b, methods[rule.rule], lang) for b in rule.missed)
            out.append(f"  {rule.rule}: {words}")
    if not result.passed:
        verdict = "KHÔNG ĐẠT" if vi else "FAILED"
    elif result.percent < fail_under:
        bound = fmt(fail_under, lang, 1)
        verdict = (f"KHÔNG ĐẠT: mọi kỳ vọng đều đúng nhưng độ phủ nhánh {percent} % dưới mức "
                   f"{bound} % (--fail-under)" if vi else f"FAILED: every expectation held, "
                   f"but branch coverage {percent} % is below {bound} % (--fail-under)")
    else:
        verdict = "ĐẠT: mọi kỳ vọng đều đúng" if vi else "PASSED: every expectation held"
    out += ["", verdict]
    return "\n".join(out) + "\n"
