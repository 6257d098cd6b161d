"""Numbers as a Vietnamese (or English) reader expects them, rounded half-up, never silently.

Vietnamese: `1 020`, `60,0`; English: `1,020`, `60.0`. A rate shown beside a threshold gets as
many decimals as it takes not to look equal to the threshold when it is not (84,99 % is never
printed as 85,0 %).
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

SYMBOLS = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "==": "=", "!=": "≠"}
MINUS = "−"  # one minus sign everywhere (U+2212), as in "1 020 − 3"
MAX_DECIMALS = 6


_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)
_QUANTUM = [Decimal(1).scaleb(-places) for places in range(MAX_DECIMALS + 3)]


def to_decimal(value: Fraction | Decimal | int, decimals: int) -> Decimal:
    """`value` rounded half-up to `decimals` places, exactly (no binary floating point)."""
    if type(value) is Fraction:
        if value.denominator == 1:
            exact = Decimal(value.numerator)
        else:
            exact = _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
    else:
        assert not isinstance(value, Fraction)
        exact = Decimal(value)
    return exact.quantize(_QUANTUM[decimals], context=_CONTEXT)


def percent_of(part: Decimal, whole: Decimal, decimals: int) -> Decimal:
    """part / whole × 100 rounded half-up; exact enough (60 digits) to round as a fraction would."""
    return _CONTEXT.divide(part * 100, whole).quantize(_QUANTUM[decimals], context=_CONTEXT)


def _group(whole: str, thousands: str) -> str:
    return f"{int(whole):,}".replace(",", thousands) if len(whole) > 3 else whole


@functools.lru_cache(maxsize=65536)
def fmt(value: Fraction | Decimal | int, lang: str = "vi", decimals: int | None = None) -> str:
    """A number with the language's separators; `decimals=None` shows a number of at most 6
    decimals exactly (0,000001 never prints as 0), anything longer to 2, without needless
    zeros.

    Cached: equal numbers (1, Decimal("1.0"), Fraction(1)) always print alike, and reports
    print the same points and thresholds again and again.
    """
    thousands, point = (" ", ",") if lang == "vi" else (",", ".")
    kind = type(value)  # `type is`, not isinstance: Fraction's ABC check is slow on a hot path
    if decimals is None and (kind is int or (isinstance(value, Fraction)
                                             and value.denominator == 1)):
        number = int(value)
        text = f"{abs(number):,}".replace(",", thousands)
        return MINUS + text if number < 0 else text
    if decimals is None:  # exact when it has at most 6 decimals (as a fact may), else 2
        rounded = to_decimal(value, MAX_DECIMALS)
        if (Fraction(rounded) if kind is not Decimal else rounded) != value:
            rounded = to_decimal(value, 2)
        text = f"{rounded:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{to_decimal(value, decimals):f}"
    sign = ""
    if text.startswith("-"):
        sign, text = MINUS, text[1:]
    whole, _, fraction = text.partition(".")
    out = _group(whole, thousands)
    if fraction:
        out += point + fraction
    return sign + out


def fmt_beside(value: Fraction | int, threshold: Decimal | Fraction | int, lang: str,
               decimals: int = 1) -> str:
    """`value` with enough decimals that its relation to `threshold` shows in the digits."""
    equal = value == Fraction(threshold)
    target = threshold if isinstance(threshold, Decimal) else to_decimal(threshold, MAX_DECIMALS)
    for places in range(decimals, MAX_DECIMALS + 1):
        if (to_decimal(value, places) == target) == equal:
            return fmt(value, lang, places)
    return "≈ " + fmt(value, lang, MAX_DECIMALS)


def fmt_signed(value: Fraction, lang: str, decimals: int | None = None) -> str:
    """+2,1 / −1 / 0: a change, signed."""
    text = fmt(abs(value), lang, decimals)
    if value > 0:
        return "+" + text
    if value < 0:
        return MINUS + text
    return text


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """An area's number as the plan writes it: 1 → I, 12 → XII, 14 → XIV (any count of areas;
    there is no Roman numeral for 0)."""
    if number < 1:
        raise ValueError(f"no Roman numeral for {number}")
    out = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out += letters * count
    return out
