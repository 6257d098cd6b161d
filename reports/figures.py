"""How the people's reports print a figure: points, an index %, a band (`reports.text` and its
appraisal parts, `reports.appraisal_text`)."""

from __future__ import annotations

from decimal import Decimal

from cchc.engine.numbers import fmt
from cchc.scoring.report import Score, in_language


def num(value: float | Decimal, lang: str) -> str:
    """Points as the language writes them (1,5 / 1.5)."""
    return fmt(Decimal(str(value)), lang)


def index(score: Score, lang: str) -> str:
    """A score's index % to 2 decimals, '—' when it has none."""
    return "—" if score.index is None else fmt(Decimal(str(score.index)), lang, 2)


def band(score: Score, lang: str) -> str:
    """A score's band in the language, '—' when it has none."""
    return "—" if score.band is None else in_language(score.band, lang)
