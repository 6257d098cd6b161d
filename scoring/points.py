"""Points for one rule's outcome, by the rule's scoring method, and the outcome's status.

The outcome (which branch of the rule fired in durable_rules) says met, partly met (and at which
level), not met, no data or not applicable, and whether the evidence is there. This module turns
it into the status vocabulary and points:

  dat              met, with evidence                 full points
  dat_mot_phan     partly met, with evidence          points × share (step/late/linear/deductions)
  thieu_minh_chung met or partly met, evidence missing points in the self-assessment only
  khong_dat        not met                            0
  thieu_du_lieu    a fact it needs has no data        0
  khong_ap_dung    not applicable                     left out of the maximum
  cho_ket_qua      an index edition not yet published left out of the maximum, listed pending

Shares are exact fractions. Partial points are rounded DOWN to 2 decimals, once, per rule, and
never reach the maximum (at most the maximum − 0,01): a missed target never earns full points,
whatever the method (99,9 % of a 100 % target, a "> 85 %" target at exactly 85 %). The sum of
the printed rule points is the printed subtotal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from cchc.engine.numbers import to_decimal
from cchc.rules.schema import Rule

Status = Literal["dat", "dat_mot_phan", "khong_dat", "thieu_du_lieu", "thieu_minh_chung",
                 "khong_ap_dung", "cho_ket_qua"]
STATUSES: tuple[Status, ...] = ("dat", "dat_mot_phan", "thieu_minh_chung", "khong_dat",
                                "thieu_du_lieu", "cho_ket_qua", "khong_ap_dung")
# Outcomes whose points are left out of the maximum the index is computed against.
EXCLUDED: tuple[Status, ...] = ("khong_ap_dung", "cho_ket_qua")
POINT_DECIMALS = 2
_CENT = Decimal(1).scaleb(-POINT_DECIMALS)


@dataclass(slots=True)
class Award:
    """The status and points of one rule for one ward (never changed once made)."""

    status: Status
    claimed_status: Status
    share: Fraction
    self_points: Decimal
    appraisal_points: Decimal
    maximum: Decimal

    withheld: bool = False

    @property
    def not_applicable(self) -> bool:
        """Whether the rule is not applicable (left out of the maximum)."""
        return self.status == "khong_ap_dung"

    @property
    def pending(self) -> bool:
        """Whether the rule waits for an index edition (left out of the maximum for now)."""
        return self.status == "cho_ket_qua"

    @property
    def rounded_down(self) -> bool:
        """Whether partial points were cut to stay below the maximum or rounded down."""
        return self.status in ("dat_mot_phan", "thieu_minh_chung") and \
            self.claimed_status == "dat_mot_phan" and self.exact != Fraction(self.self_points)

    @property
    def exact(self) -> Fraction:
        """The points before rounding: maximum × share."""
        return Fraction(self.maximum) * self.share


@dataclass(frozen=True)
class RuleTerms:
    """A rule's numbers as exact fractions, computed once per pack rather than per ward."""

    rule: Rule
    points: Fraction
    maximum: Decimal
    target: Fraction | None
    step_shares: tuple[Fraction, ...]
    late_shares: tuple[Fraction, ...]
    per_unit: Fraction
    floor: Fraction = Fraction(0)
    max_off: Fraction | None = None

    @classmethod
    def of(cls, rule: Rule) -> RuleTerms:
        """The terms of `rule`."""
        method = rule.scoring
        test = rule.test.parts[0]
        value = test.value
        late: tuple[Fraction, ...] = ()
        if method.method == "on_time" and test.deadline is not None:
            late = tuple(Fraction(tier.share) for _, tier in method.late_days(test.last_day))
        return cls(
            rule=rule, points=Fraction(rule.points),
            maximum=to_decimal(rule.points, POINT_DECIMALS),
            target=Fraction(value) if isinstance(value, Decimal) else None,
            step_shares=tuple(Fraction(step.share) for step in method.partial)
            if method.method == "steps" else (),
            late_shares=late,
            per_unit=Fraction(method.per_unit) if method.method == "deductions" else Fraction(0),
            floor=Fraction(method.from_) if method.method == "linear" else Fraction(0),
            max_off=Fraction(method.max_deduction) if method.method == "deductions"
            and method.max_deduction is not None else None)

    def deducted(self, units: int | Fraction) -> Fraction:
        """Points off for `units` counted, within the cap if the rule has one."""
        off = self.per_unit * units
        return off if self.max_off is None else min(off, self.max_off)

    def partial_share(self, level: int, value: int | Fraction | None) -> Fraction:
        """The share of the points a partly-met outcome earns under the rule's method."""
        method = self.rule.scoring.method
        if method == "steps":
            return self.step_shares[level]
        if method == "on_time":
            return self.late_shares[level]
        assert value is not None
        if method == "linear":
            assert self.target is not None
            return min((value - self.floor) / (self.target - self.floor), Fraction(1))
        if method == "deductions":
            return max(self.points - self.deducted(value), Fraction(0)) / self.points
        raise ValueError(f"{self.rule.id}: method {method} has no partial outcome")


_ZERO_POINTS = Decimal(0).quantize(_CENT)
_CLAIMED: dict[str, Status] = {"met": "dat", "partial": "dat_mot_phan", "not_met": "khong_dat",
                               "missing": "thieu_du_lieu", "not_applicable": "khong_ap_dung",
                               "pending": "cho_ket_qua"}


def partial_points(maximum: Decimal, share: Fraction) -> Decimal:
    """maximum × share rounded down to 0,01, and below the maximum (a missed target never
    earns full points)."""
    exact = Fraction(maximum) * share
    cents = exact.numerator * 100 // exact.denominator  # floor, exactly
    return min(Decimal(cents).scaleb(-POINT_DECIMALS), maximum - _CENT).max(_ZERO_POINTS)


def award(terms: RuleTerms, kind: str, level: int, evidence: bool | None,
          value: int | Fraction | None, withheld: bool = False) -> Award:
    """The Award for the outcome `kind` (met, partial, not_met, missing, not_applicable,
    pending). `withheld`: the points stand in the self-assessment but not in the projected
    appraisal (a deliverable dated after the assessment date)."""
    claimed = _CLAIMED[kind]
    if kind == "met":
        share = Fraction(1)
        points = terms.maximum
    elif kind == "partial":
        share = terms.partial_share(level, value)
        points = partial_points(terms.maximum, share)
    else:
        share = Fraction(0)
        points = _ZERO_POINTS
    status: Status = "thieu_minh_chung" if evidence is False and share > 0 else claimed
    withheld = withheld and share > 0
    appraisal = _ZERO_POINTS if status == "thieu_minh_chung" or withheld else points
    return Award(status, claimed, share, points, appraisal, terms.maximum, withheld)
