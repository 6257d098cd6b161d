"""Hypothesis strategies that generate wards (facts files), so a failing property shrinks to a
small ward rather than to a seed.

`wards(pack)` drives the edge-biased generator of `wardgen` with hypothesis draws: every choice
(a value on a threshold, a deadline day, absent data, missing evidence) is a draw, and shrinking
moves each towards its simplest form — the first candidate, 0, the lowest integer — so the ward
a failure reports is as plain as the failure allows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st
from wardgen import WardGenerator

from cchc.engine.pack.model import Pack

T = TypeVar("T")


class DrawnChoices:
    """The `random.Random` methods the generator uses, answered by hypothesis draws."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        self._draw = draw

    def choice(self, seq: Sequence[T]) -> T:
        return self._draw(st.sampled_from(list(seq)))

    def random(self) -> float:
        # shrinks to 1.0: every roll "above the odds" — present data, with evidence
        return 1.0 - self._draw(st.floats(0.0, 1.0, exclude_max=True))

    def randint(self, a: int, b: int) -> int:
        return self._draw(st.integers(a, b))


@st.composite
def wards(draw: Callable[[st.SearchStrategy[Any]], Any], pack: Pack) -> dict[str, Any]:
    """A facts-file dict for `pack`, as read_json gives it (numbers as int or Decimal)."""
    return WardGenerator(pack, rng=DrawnChoices(draw)).ward()
