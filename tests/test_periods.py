"""Time windows: presets from the data's end date, comparison periods, the assessment month."""
from datetime import date

from dashboard.core import periods
from dashboard.core.periods import Window


def test_presets_relative_to_data_end():
    as_of = date(2024, 10, 31)
    assert periods.preset("month", as_of) == Window(date(2024, 10, 1), date(2024, 10, 31))
    assert periods.preset("prev_month", as_of) == Window(date(2024, 9, 1), date(2024, 9, 30))
    assert periods.preset("3m", as_of) == Window(date(2024, 8, 1), date(2024, 10, 31))
    assert periods.preset("12m", as_of) == Window(date(2023, 11, 1), date(2024, 10, 31))
    assert periods.preset("ytd", as_of) == Window(date(2024, 1, 1), date(2024, 10, 31))


def test_assessment_month_runs_from_the_19th():
    assert periods.assessment_month(date(2024, 10, 31), 19) == Window(date(2024, 9, 19), date(2024, 10, 18))
    assert periods.assessment_month(date(2024, 10, 18), 19) == Window(date(2024, 9, 19), date(2024, 10, 18))
    assert periods.assessment_month(date(2024, 10, 17), 19) == Window(date(2024, 8, 19), date(2024, 9, 18))
    assert periods.assessment_month(date(2024, 3, 5), 1) == Window(date(2024, 2, 1), date(2024, 2, 29))


def test_previous_period():
    assert periods.previous(Window(date(2024, 3, 1), date(2024, 3, 31))) == Window(date(2024, 2, 1), date(2024, 2, 29))
    assert periods.previous(Window(date(2023, 11, 1), date(2024, 10, 31))) == \
        Window(date(2022, 11, 1), date(2023, 10, 31))
    assert periods.previous(Window(date(2024, 9, 19), date(2024, 10, 18))) == \
        Window(date(2024, 8, 19), date(2024, 9, 18))
    assert periods.previous(Window(date(2024, 3, 5), date(2024, 3, 14))) == Window(date(2024, 2, 24), date(2024, 3, 4))


def test_year_ago_and_leap_day():
    assert periods.year_ago(Window(date(2024, 2, 1), date(2024, 2, 29))) == Window(date(2023, 2, 1), date(2023, 2, 28))
    assert periods.year_ago(Window(date(2024, 2, 29), date(2024, 3, 10))) == Window(date(2023, 2, 28), date(2023, 3, 10))


def test_window_label():
    assert Window(date(2024, 3, 1), date(2024, 3, 31)).label() == "2024年3月"
    assert Window(date(2024, 3, 2), date(2024, 3, 31)).label() == "2024-03-02 至 2024-03-31"


def test_previous_period_when_the_data_ends_mid_month():
    as_of = date(2026, 10, 15)
    assert periods.previous(periods.preset("month", as_of)) == Window(date(2026, 9, 1), date(2026, 9, 15))
    assert periods.previous(periods.preset("12m", as_of)) == Window(date(2024, 11, 1), date(2025, 10, 15))
    assert periods.previous(periods.preset("3m", as_of)) == Window(date(2026, 5, 1), date(2026, 7, 15))
    assert periods.previous(Window(date(2024, 3, 1), date(2024, 3, 31))) == Window(date(2024, 2, 1), date(2024, 2, 29))
    assert periods.previous(Window(date(2024, 3, 1), date(2024, 3, 30))) == Window(date(2024, 2, 1), date(2024, 2, 29))
