"""A change of the facts in words, Vietnamese and English, with the pack's labels and units.

"«Số giao dịch thanh toán trực tuyến qua Cổng thanh toán quốc gia»: thêm 37 giao dịch (612 →
649)"; the values are shown as the report shows them (`Explainer.collect_inputs`: a level by
its name, a date as dd/mm/yyyy, a yes/no fact in its own answers). What follows from a change
("thì đạt: 649 / 1 020 = 63,6 % ≥ 60 %") is the engine's own test sentence for the ward with
the change, taken from the re-scored report.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from cchc.engine.dates import format_date
from cchc.engine.evaluate.derive import MetricValue
from cchc.engine.facts.model import Reported, Value
from cchc.engine.numbers import fmt
from cchc.engine.pack.model import Pack
from cchc.scoring.explain import Explainer, singular
from cchc.scoring.gap_change import RuleGap
from cchc.scoring.gap_probe import PUBLISHED, RECORDED, UNPUBLISHED
from cchc.scoring.gap_search import Change
from cchc.scoring.report import InputFact, Text, in_language

# How the tool weighs one change against another ("cheapest first").
COST_CONVENTION = Text(
    "Quy ước của công cụ về “chi phí” một thay đổi: nhập một số liệu còn thiếu = 1; một dữ "
    "kiện có/không = 1; một mức xếp loại = 1 mỗi mức; một ngày = 1 cho mỗi 30 ngày dời (việc "
    "chưa thực hiện nay hoàn thành = 1); một danh sách ngày = 1 mỗi ngày thêm; một con số = mức "
    "thay đổi tương đối |mới − cũ| / max(|cũ|, 1). Kế hoạch đạt hạng mục tiêu chọn ít thay đổi "
    "nhất (mỗi bước chọn thay đổi mang lại nhiều điểm còn thiếu nhất trên mỗi dữ kiện đổi), rồi "
    "liệt kê theo chi phí từ thấp đến cao. Chỉ đổi dữ kiện do công việc của phường tạo ra (tử số "
    "của tỷ lệ, số đã làm, ngày hoàn thành, …); tổng số (mẫu số), mốc so sánh và số liệu năm "
    "trước chỉ được nhập khi còn thiếu. Không bao giờ đổi: kết quả chỉ số do cơ quan khác công "
    "bố (còn thiếu thì nhập kết quả đã công bố), ngày đã ghi (có văn bản làm chứng); một việc "
    "chưa làm có hạn trước ngày tự đánh giá là đã quá hạn, không đưa vào kế hoạch.",
    "The tool's convention for the “cost” of a change: supplying a missing figure = 1; a yes/no "
    "fact = 1; a rating level = 1 a level; a date = 1 for every 30 days moved (a deliverable not "
    "done made done = 1); a list of dates = 1 a date added; a number = its relative change "
    "|new − old| / max(|old|, 1). The plan to the target band takes the fewest changes (each "
    "step the change bringing the most of the missing points per fact changed), then lists "
    "them cheapest first. Only facts the ward's work makes are changed (a rate's numerator, a "
    "count of things done, the day a deliverable was done, …); totals (denominators), "
    "baselines and last year's figures are only supplied when they are missing. Never changed: "
    "index results other bodies publish (when missing, enter the published result), dates "
    "already recorded (with their evidence); a deliverable not done whose deadline is before "
    "the assessment date is past, and not in the plan.")

STATUS_WORDS = {
    "dat": Text("đạt", "met"),
    "dat_mot_phan": Text("đạt một phần", "partly met"),
    "thieu_minh_chung": Text("đạt (thiếu minh chứng)", "met (evidence missing)"),
    "khong_dat": Text("không đạt", "not met"),
    "thieu_du_lieu": Text("thiếu dữ liệu", "no data"),
    "khong_ap_dung": Text("không áp dụng", "not applicable"),
    "cho_ket_qua": Text("chờ kết quả", "pending"),
}




class ChangeWords:
    """Words for changes of one pack's facts."""

    def __init__(self, pack: Pack, explainer: Explainer) -> None:
        self.pack = pack
        self.explainer = explainer

    def shown(self, fact: str, value: Value, previous: bool) -> Text:
        """A value of a fact as the report shows it ('1 020 giao dịch', '31/03/2024', 'Có')."""
        reported = Reported(fact, value)
        metric = MetricValue(fact, "missing" if value is None else "ok", value,
                             reported=reported, previous_year=previous)
        found: dict[tuple[str, bool], InputFact] = {}
        self.explainer.collect_inputs(metric, self.pack.meta.year, found, {})
        return next(iter(found.values())).shown

    def label(self, fact: str, previous: bool) -> Text:
        """The fact's label, 'năm trước' / 'last year' added for last year's value."""
        label = self.pack.facts[fact].label
        if previous:
            return Text(f"{label.vi} (năm trước)", f"{label.en} (last year)")
        return Text(label.vi, label.en)

    def _amount(self, fact: str, amount: int | Fraction, lang: str, word: str = "") -> str:
        """'37 giao dịch'; in English with its word before the unit: '37 more transactions'."""
        unit = self.pack.unit_of(fact)
        text = "" if unit is None else " " + in_language(unit, lang)
        if lang == "en" and amount == 1:
            text = singular(text)
        return fmt(amount, lang) + (f" {word}" if word else "") + text

    def change(self, change: Change) -> Text:
        """One change in words, both languages."""
        return Text(self._change(change, "vi"), self._change(change, "en"))

    def _change(self, change: Change, lang: str) -> str:
        vi = lang == "vi"
        fact, before, after = change.fact, change.before, change.after
        label = in_language(self.label(fact, change.previous), lang)
        now = in_language(self.shown(fact, after, change.previous), lang)
        was = in_language(self.shown(fact, before, change.previous), lang)
        kind = self.pack.facts[fact].type
        if before is None:
            return f"«{label}»: " + self._supplied(change, now, kind, lang)
        if kind in ("count", "number") and isinstance(before, int | Fraction) \
                and isinstance(after, int | Fraction):
            step = Fraction(after) - Fraction(before)
            numbers = f"{fmt(before, lang)} → {fmt(after, lang)}"
            if vi:
                return (f"«{label}»: {'thêm' if step > 0 else 'bớt'} "
                        f"{self._amount(fact, abs(step), lang)} ({numbers})")
            more = "more" if step > 0 else "fewer" if isinstance(before, int) else "less"
            return f"«{label}»: {self._amount(fact, abs(step), lang, more)} ({numbers})"
        if kind == "date" and isinstance(before, dt.date) and isinstance(after, dt.date):
            days = (after - before).days
            if vi:
                return (f"«{label}»: {now}, {'sớm' if days < 0 else 'muộn'} hơn {abs(days)} ngày "
                        f"(đang ghi {was})")
            plural = "" if abs(days) == 1 else "s"
            return (f"«{label}»: {now}, {abs(days)} day{plural} "
                    f"{'earlier' if days < 0 else 'later'} (now {was})")
        if kind == "date" and before is False:
            return (f"«{label}»: hoàn thành ngày {now} (đang ghi: {was})" if vi
                    else f"«{label}»: done on {now} (now: {was})")
        if kind == "dates" and isinstance(before, tuple) and isinstance(after, tuple):
            added = [day for day in after if day not in before]
            days_shown = ", ".join(day.strftime("%d/%m/%Y") for day in added
                                   if isinstance(day, dt.date))
            return (f"«{label}»: thêm {len(added)} ngày: {days_shown} (đang ghi: {was})" if vi
                    else f"«{label}»: add {len(added)} date{'s' if len(added) != 1 else ''}: "
                    f"{days_shown} (now: {was})")
        return (f"«{label}»: {now} (đang ghi: {was})" if vi else f"«{label}»: {now} (now: {was})")

    @staticmethod
    def _supplied(change: Change, now: str, kind: str, lang: str) -> str:
        """A fact with no data given a value: the value, and on which side of it the rule is
        met ("đạt nếu không quá 1 020", "met if done by 31/03/2024")."""
        vi = lang == "vi"
        if change.edge is None:
            return f"nhập {now} (chưa có số liệu)" if vi else f"enter {now} (no data yet)"
        if kind == "rank":  # a smaller rank is a better place
            if vi:
                return (f"nhập {now} (chưa có số liệu; đạt khi thứ hạng thực tế từ {now} trở "
                        f"{'lên' if change.edge == 'max' else 'xuống'})")
            return (f"enter {now} (no data yet; met when the real place is {now} or "
                    f"{'better' if change.edge == 'max' else 'worse'})")
        if kind == "date":
            side = ("chậm nhất" if change.edge == "max" else "sớm nhất") if vi else \
                ("at the latest" if change.edge == "max" else "at the earliest")
        else:
            side = ("không quá" if change.edge == "max" else "ít nhất") if vi else \
                ("at most" if change.edge == "max" else "at least")
        if vi and kind == "date":
            return f"nhập {now} (chưa có số liệu; đạt khi hoàn thành {side} {now})"
        if vi:
            return f"nhập {now} (chưa có số liệu; đạt khi số liệu thực tế {side} {now})"
        if kind == "date":
            return f"enter {now} (no data yet; met when done {now} {side})"
        return f"enter {now} (no data yet; met when the real figure is {side} {now})"

    def blocked(self, gap: RuleGap) -> Text:
        """Why a rule's change leaves facts alone (published index results, recorded dates),
        or is too late for the plan (a day before the assessment date)."""
        groups: dict[str, list[str]] = {}
        for (fact, _), kind in gap.blocked:
            groups.setdefault(kind, []).append(fact)
        words = []
        for lang in ("vi", "en"):
            vi, parts = lang == "vi", []
            for kind, facts in groups.items():
                labels = ", ".join(f"«{in_language(self.pack.facts[fact].label, lang)}»"
                                   for fact in dict.fromkeys(facts))
                parts.append({
                    PUBLISHED: (f"{labels}: kết quả do cơ quan khác công bố, phường không tự thay "
                                f"đổi được" if vi else f"{labels}: a result published by another "
                                f"body, which the ward cannot change itself"),
                    UNPUBLISHED: (f"{labels}: chưa có số liệu — nhập kết quả đã công bố (lấy từ "
                                  f"văn bản công bố, không tự chọn giá trị)" if vi else
                                  f"{labels}: no data — enter the published result (from the "
                                  f"publishing document; not a value to choose)"),
                    RECORDED: (f"{labels}: ngày đã ghi là việc đã làm, có văn bản làm chứng: "
                               f"không dời ngày" if vi else f"{labels}: a date recorded is "
                               f"history, carried by its evidence document: never moved"),
                }[kind])
            if gap.past is not None:
                day = format_date(gap.past)
                parts.append(f"hạn đã qua: ngày cần có trước ngày tự đánh giá {day}, không còn "
                             f"làm kịp, không đưa vào kế hoạch" if vi else
                             f"the deadline has passed: the day needed is before the assessment "
                             f"date {day}, too late now, not in the plan")
            for fact, days in gap.undocumented:
                label = in_language(self.pack.facts[fact].label, lang)
                shown = ", ".join(format_date(day) for day in days)
                parts.append(f"«{label}»: tài liệu kiểm chứng đang ghi mang ngày khác ({shown}): "
                             f"khi hoàn thành, ghi ngày và văn bản mới vào tệp dữ kiện (--set giữ "
                             f"tài liệu cũ), không đưa vào kế hoạch" if vi else
                             f"«{label}»: its evidence carries another date ({shown}): once "
                             f"done, enter the day and the new document in the facts file (--set "
                             f"keeps the old evidence), not in the plan")
            if gap.reason == "partial":
                parts.append("thay đổi trên cho mức điểm cao nhất tìm được" if vi else
                             "the change above gives the most points found")
            words.append("; ".join(parts))
        return Text(*words)

    def changes(self, changes: tuple[Change, ...]) -> Text:
        """Several changes, joined ('; ')."""
        parts = [self.change(change) for change in changes]
        return Text("; ".join(part.vi for part in parts), "; ".join(part.en for part in parts))
