"""The shared input rules, one class of hostile value each."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.validators import parse_id, parse_plausible_date, plausible_date, single_line


@pytest.mark.parametrize(
    "value", ["Lena\r\nBcc: x@example.org", "Lena\nMüller", "a\u2028b", "a\u2029b", "a\x00b",
              "tab\there", "esc\x1b", "del\x7f", "nel\x85"],
)  # fmt: skip
def test_single_line_refuses_control_characters_and_line_breaks(value):
    with pytest.raises(ValidationError) as caught:
        single_line(value)
    assert caught.value.code == "control_characters"


@pytest.mark.parametrize("value", ["Jörg Weiß", "Anna-Lena Özdemir", "O'Brien", "李雷", ""])
def test_single_line_accepts_names_in_any_script(value):
    single_line(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), (" 7 ", 7), ("³", None), ("²³", None), ("٣", None), ("１２", None),
     ("-1", None), ("1e3", None), ("9" * 19, None), ("9" * 18, 10**18 - 1), ("", None),
     (None, None), ("a\x00", None)],
)  # fmt: skip
def test_parse_id_takes_ascii_digits_that_fit_a_bigint(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize("year", [1, 1899, 2101, 9999])
def test_plausible_date_refuses_years_nobody_means(year):
    with pytest.raises(ValidationError):
        plausible_date(dt.date(year, 1, 1))
    with pytest.raises(ValidationError):
        plausible_date(dt.datetime(year, 1, 1, tzinfo=dt.UTC))


def test_plausible_date_accepts_birthdays_and_plans():
    plausible_date(dt.date(1950, 6, 1))
    plausible_date(dt.date(2099, 12, 31))


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2024-02-30", "³", "", None])
def test_parse_plausible_date_gives_none_for_what_a_view_cannot_step_from(value):
    assert parse_plausible_date(value) is None


def test_parse_plausible_date_reads_iso_dates():
    assert parse_plausible_date("2026-03-02") == dt.date(2026, 3, 2)
