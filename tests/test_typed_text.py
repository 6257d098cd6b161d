"""A value typed by a person (a workbook cell, `--set`) read as a Vietnamese clerk means it, or
refused with the reading it would have taken (engine/facts/typed_text.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.engine.facts.typed_text import TypedTextError, read_typed
from cchc.rules.schema import FactSpec

LABEL = {"vi": "Dữ kiện", "en": "Fact"}
COUNT = FactSpec(type="count", label=LABEL)
RANK = FactSpec(type="rank", label=LABEL)
SCORE = FactSpec(type="number", label=LABEL, minimum=Decimal(0), maximum=Decimal(100))
RATE = FactSpec(type="number", label=LABEL, maximum=Decimal(100), unit={"vi": "%", "en": "%"})
MONEY = FactSpec(type="number", label=LABEL, unit={"vi": "triệu đồng", "en": "million VND"})
YES_NO = FactSpec(type="boolean", label=LABEL)
GIVEN = FactSpec(type="boolean", label=LABEL, answers={"if_true": {"vi": "Được giao",
                                                                   "en": "Assigned"},
                                                       "if_false": {"vi": "Không được giao",
                                                                    "en": "Not assigned"}})
DAY = FactSpec(type="date", label=LABEL)
DAYS = FactSpec(type="dates", label=LABEL)
RATING = FactSpec(type="level", label=LABEL, levels=[
    {"id": "hoan_thanh", "vi": "Hoàn thành nhiệm vụ", "en": "Completed"},
    {"id": "hoan_thanh_tot", "vi": "Hoàn thành tốt nhiệm vụ", "en": "Completed well"}])


@pytest.mark.parametrize(("spec", "typed", "value"), [
    (COUNT, "1.200", 1200),            # the dot groups thousands
    (COUNT, "1 020", 1020),            # so does a space
    (COUNT, "1\u00a0020", 1020),       # and a non-breaking one
    (COUNT, "12", 12),
    (COUNT, "  7 ", 7),
    (RANK, "3", 3),
    (SCORE, "12,5", Decimal("12.5")),  # the comma marks decimals
    (SCORE, "86,10", Decimal("86.10")),
    (MONEY, "1.234,5", Decimal("1234.5")),
    (MONEY, "1.200", Decimal("1200")),
    (RATE, "85%", Decimal("85")),      # a percentage where the fact is one
    (RATE, "85 %", Decimal("85")),
    (RATE, "60,5%", Decimal("60.5")),
    (YES_NO, "Có", True), (YES_NO, "không", False), (YES_NO, "x", True),
    (YES_NO, "Đã thực hiện", True), (YES_NO, "Chưa thực hiện", False),
    (GIVEN, "Được giao", True), (GIVEN, "Không được giao", False),
    (DAY, "15/03/2024", "2024-03-15"), (DAY, "15-03-2024", "2024-03-15"),
    (DAY, "15.03.2024", "2024-03-15"), (DAY, "2024-03-15", "2024-03-15"),
    (DAY, "1/2/2024", "2024-02-01"), (DAY, "Chưa thực hiện", False),
    (DAYS, "15/03/2025; 20/06/2025", ["2025-03-15", "2025-06-20"]),
    (DAYS, "15/03/2025\n20/06/2025", ["2025-03-15", "2025-06-20"]),
    (DAYS, "Không có", []),
    (RATING, "Hoàn thành tốt nhiệm vụ", "hoan_thanh_tot"), (RATING, "hoan_thanh", "hoan_thanh"),
    (RATING, "hoàn thành  tốt nhiệm vụ", "hoan_thanh_tot"),
    (COUNT, "", None), (DAY, "   ", None),
])
def test_a_typed_value_reads_as_a_clerk_means_it(spec, typed, value):
    assert read_typed(typed, spec) == value
    assert type(read_typed(typed, spec)) is type(value)


@pytest.mark.parametrize(("spec", "typed", "said", "advice"), [
    # 12,5 is not whole: the reading is named
    (COUNT, "12,5", "được đọc là 12,5", "một số nguyên"),
    # 1,200 reads 1,2 (a decimal comma): the advice names 1 200
    (COUNT, "1,200", "được đọc là 1,2", "nếu là 1 200, gõ 1.200 hoặc 1200"),
    # the English way is refused with the Vietnamese form to type
    (SCORE, "12.5", "kiểu tiếng Anh", "gõ 12,5"),
    # on a count, 12.5 is no whole number either way: never advise 12,5 (refused in turn)
    (COUNT, "12.5", "không phải là một số nguyên", "ví dụ 12 hoặc 1.200"),
    (MONEY, "1,234.5", "kiểu tiếng Anh", "gõ 1 234,5"),
    # 1.200 reads 1 200, beyond a score's 100: the other reading is offered
    (SCORE, "1.200", "được đọc là 1 200", "nếu là 1,2, gõ 1,2"),
    # a percentage where the fact is a count
    (COUNT, "85%", "là một tỉ lệ", "không có dấu %"),
    (COUNT, "mười", "không phải là một số", "ví dụ 1.200"),
    (YES_NO, "có lẽ", "không phải là Có hoặc Không", "Có hoặc Không"),
    (DAY, "31/02/2024", "không phải là một ngày có thật", "15/03/2024"),
    (DAY, "03/15/2024x", "không đúng dạng ngày", "ngày/tháng/năm"),
    (RATING, "Xuất sắc", "không phải là một mức", "Hoàn thành nhiệm vụ"),
])
def test_what_could_mean_two_things_is_refused_with_its_reading(spec, typed, said, advice):
    with pytest.raises(TypedTextError) as caught:
        read_typed(typed, spec)
    assert said in caught.value.vi
    assert advice in caught.value.expected_vi
    assert caught.value.en and caught.value.expected_en


def test_a_table_is_never_one_typed_value():
    table = FactSpec(type="table", label=LABEL, columns={"ten": {"type": "text", "label": LABEL}})
    with pytest.raises(TypedTextError):
        read_typed("x", table)


def test_a_value_of_a_megabyte_is_refused_quickly():
    with pytest.raises(TypedTextError, match="characters long"):
        read_typed("1" * 1_000_000, COUNT)
