"""Numbers as a Vietnamese (or English) reader expects them, rounded half-up, never silently.

Vietnamese: `1 020`, `60,0`; English: `1,020`, `60.0`. A rate shown beside a threshold gets as
many decimals as it takes not to look equal to the threshold when it is not (84,99 % is never
printed as 85,0 %).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

SYMBOLS = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "==": "=", "!=": "≠"}
MAX_DECIMALS = 6


def to_decimal(value: Fraction | Decimal | int, decimals: int) -> Decimal:
    """`value` rounded half-up to `decimals` places, exactly (no binary floating point)."""
    with localcontext() as ctx:
        ctx.prec = 60
        exact = (Decimal(value.numerator) / Decimal(value.denominator)
                 if isinstance(value, Fraction) else Decimal(value))
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt(value: Fraction | Decimal | int, lang: str = "vi", decimals: int | None = None) -> str:
    """A number with the language's separators; `decimals=None` drops needless zeros."""
    if decimals is None:
        rounded = to_decimal(value, 2).normalize()
        text = f"{rounded:f}"
    else:
        text = f"{to_decimal(value, decimals):f}"
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    thousands, point = (" ", ",") if lang == "vi" else (",", ".")
    out = thousands.join(groups)
    if fraction:
        out += point + fraction
    return sign + out


def fmt_beside(value: Fraction, threshold: Decimal | Fraction | int, lang: str,
               decimals: int = 1) -> str:
    """`value` with enough decimals that its relation to `threshold` shows in the digits."""
    exact = Fraction(threshold)
    for places in range(decimals, MAX_DECIMALS + 1):
        shown = to_decimal(value, places)
        if (Fraction(shown) == exact) == (value == exact):
            return fmt(value, lang, places)
    return ("≈ " if lang == "vi" else "≈ ") + fmt(value, lang, MAX_DECIMALS)


def fmt_signed(value: Fraction, lang: str, decimals: int | None = None) -> str:
    """+2,1 / −1 / 0: a change, signed."""
    text = fmt(abs(value), lang, decimals)
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text
