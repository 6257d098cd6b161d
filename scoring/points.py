"""Points for one rule's outcome, by the rule's scoring method, and the outcome's status.

The outcome (which branch of the rule fired in durable_rules) says met, partly met (and at which
level), not met, no data or not applicable, and whether the evidence is there. This module turns
it into the status vocabulary and points:

  dat              met, with evidence                 full points
  dat_mot_phan     partly met, with evidence          points × share (step, late, linear, deductions)
  thieu_minh_chung met or partly met, evidence missing points in the self-assessment only
  khong_dat        not met                            0
  thieu_du_lieu    a fact it needs has no data        0
  khong_ap_dung    not applicable                     left out of the maximum

Shares are exact fractions; points are rounded half-up to 2 decimals once, per rule, so the sum of
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
                 "khong_ap_dung"]
STATUSES: tuple[Status, ...] = ("dat", "dat_mot_phan", "thieu_minh_chung", "khong_dat",
                                "thieu_du_lieu", "khong_ap_dung")
POINT_DECIMALS = 2


@dataclass(frozen=True)
class Award:
    """The status and points of one rule for one ward."""

    status: Status
    claimed_status: Status
    share: Fraction
    self_points: Decimal
    appraisal_points: Decimal
    maximum: Decimal

    @property
    def not_applicable(self) -> bool:
        """Whether the rule is left out of the maximum."""
        return self.status == "khong_ap_dung"


def partial_share(rule: Rule, level: int, value: Fraction | None) -> Fraction:
    """The share of the points a partly-met outcome earns under the rule's method."""
    method = rule.scoring
    if method.method == "steps":
        return Fraction(method.partial[level].share)
    if method.method == "on_time":
        return Fraction(method.late_share)
    assert value is not None
    if method.method == "linear":
        assert isinstance(rule.test.value, Decimal)
        return min(value / Fraction(rule.test.value), Fraction(1))
    if method.method == "deductions":
        earned = Fraction(rule.points) - Fraction(method.per_unit) * value
        return max(earned, Fraction(0)) / Fraction(rule.points)
    raise ValueError(f"{rule.id}: method {method.method} has no partial outcome")


def award(rule: Rule, kind: str, level: int, evidence: bool | None,
          value: Fraction | None) -> Award:
    """The Award for the outcome `kind` (met, partial, not_met, missing, not_applicable)."""
    if kind == "met":
        claimed: Status = "dat"
        share = Fraction(1)
    elif kind == "partial":
        claimed = "dat_mot_phan"
        share = partial_share(rule, level, value)
    else:
        claimed = {"not_met": "khong_dat", "missing": "thieu_du_lieu",
                   "not_applicable": "khong_ap_dung"}[kind]  # type: ignore[assignment]
        share = Fraction(0)
    points = to_decimal(Fraction(rule.points) * share, POINT_DECIMALS)
    status: Status = "thieu_minh_chung" if evidence is False and share > 0 else claimed
    appraisal = points if status != "thieu_minh_chung" else to_decimal(0, POINT_DECIMALS)
    return Award(status, claimed, share, points, appraisal,
                 to_decimal(rule.points, POINT_DECIMALS))
