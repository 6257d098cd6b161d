"""Parsers: dates, numbers as printed, and the JSON reader (unit and property tests)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import unicodedata
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.engine.dates import DateFormatError, format_date, parse_date
from cchc.engine.errors import InputError
from cchc.engine.facts.read import json_path, read_json
from cchc.engine.numbers import fmt, fmt_beside, to_decimal


def test_dates_in_both_forms():
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert parse_date("29/02/2024") == dt.date(2024, 2, 29)
    assert parse_date(" 1/2/2024 ") == dt.date(2024, 2, 1)
    for bad in ("2023-02-29", "30/02/2024", "2024-2-1", "02/30/2024", "", "2024/02/01"):
        with pytest.raises(DateFormatError):
            parse_date(bad)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_any_real_date_round_trips_in_both_forms(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(format_date(day)) == day


@given(st.text(max_size=20))
def test_date_parser_never_fails_otherwise(text):
    with contextlib.suppress(DateFormatError):
        parse_date(text)


def test_vietnamese_and_english_numbers():
    assert fmt(1020) == "1 020" and fmt(1020, "en") == "1,020"
    assert fmt(Fraction(3, 2)) == "1,5" and fmt(Decimal("0.75"), "en") == "0.75"
    assert fmt(Fraction(60), "vi", 1) == "60,0"
    assert fmt(-1500) == "−1 500"  # one minus sign (U+2212) everywhere
    assert to_decimal(Fraction(1, 8), 2) == Decimal("0.13")  # half-up, not banker's


@given(st.integers(0, 10**6), st.integers(1, 10**6), st.integers(0, 100))
def test_a_rate_never_prints_equal_to_a_threshold_it_is_not(numerator, denominator, threshold):
    value = Fraction(numerator * 100, denominator)
    shown = fmt_beside(value, Decimal(threshold), "en").removeprefix("≈ ")
    looks_equal = Decimal(shown.replace(",", "")) == threshold
    assert looks_equal == (value == threshold) or fmt_beside(value, Decimal(threshold),
                                                               "en").startswith("≈")


def test_json_path_rendering():
    assert json_path(("facts", "ho_so", "evidence", 0, "date")) == "$.facts.ho_so.evidence[0].date"
    assert json_path(("facts", "tên lạ")) == '$.facts["tên lạ"]'


# text without NUL (refused on reading, test_hostile) and without lone surrogates (no UTF-8
# file can hold one; refused on reading too): what a JSON file can carry
_text = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                max_size=10)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | _text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                max_size=5), children,
        max_size=4), max_leaves=20)


@given(json_values)
def test_reader_returns_what_json_wrote_in_nfc(tmp_path_factory, value):
    path = tmp_path_factory.mktemp("j") / "v.json"
    text = json.dumps(value, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    data, raw = read_json(path)
    assert data == json.loads(unicodedata.normalize("NFC", text)) and raw == path.read_bytes()


@given(st.binary(max_size=200))
def test_reader_never_raises_anything_but_input_error(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("b") / "b.json"
    path.write_bytes(blob)
    try:
        read_json(path)
    except InputError as error:
        assert error.problems and error.file == str(path)


def test_reader_keeps_decimals_exact(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{"x": 86.1}', encoding="utf-8")
    assert read_json(path)[0]["x"] == Decimal("86.1")
