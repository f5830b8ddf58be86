"""URL parameters <-> filter state: round trips, aliases, and invalid values with notices."""
from datetime import date

from dashboard.core import filters, periods
from dashboard.core.filters import Choices, FilterState

CHOICES = Choices(
    streets={"110102010": "德胜街道", "110102017": "广安门内街道", "110102001": "西长安街街道"},
    short_names={"110102010": "德胜", "110102017": "广内", "110102001": "西长安街"},
    categories={"供暖": ["室温不达标", "停暖"], "噪声扰民": ["施工噪声"]},
    first_day=date(2022, 1, 1), as_of=date(2024, 10, 31),
)


def test_defaults():
    p = filters.parse({}, CHOICES)
    assert p.state == FilterState() and p.notices == []
    assert p.state.window(CHOICES).start == date(2023, 11, 1)


def test_round_trip():
    states = [
        FilterState("custom", date(2024, 3, 1), date(2024, 3, 31), ("110102010", "110102017"), ("供暖",), ("停暖",)),
        FilterState("cycle"),
        FilterState("12m", streets=("110102001",)),
    ]
    for s in states:
        params = filters.to_params(s)
        assert filters.parse(params, CHOICES).state == s


def test_months_names_aliases_and_comma_lists():
    p = filters.parse({"from": "2024-03", "to": "2024-04", "street": ["广内,德胜街道", "西长安街街道办事处"],
                       "category": "供暖，噪声扰民"}, CHOICES)
    assert p.notices == []
    assert p.state.period == "custom"
    assert (p.state.start, p.state.end) == (date(2024, 3, 1), date(2024, 4, 30))
    assert p.state.streets == ("110102010", "110102017", "110102001")   # display order
    assert p.state.categories == ("供暖", "噪声扰民")


def test_full_width_and_spaces():
    p = filters.parse({"street": "１１０１０２０１０ , 德胜 街道"}, CHOICES)
    assert p.state.streets == ("110102010",) and p.notices == []


def test_invalid_values_fall_back_with_notices():
    p = filters.parse({"from": "2024-13-01", "street": ["火星街道", "德胜"], "category": "不存在", "period": "x"},
                      CHOICES)
    assert p.state.period == "12m" and p.state.start is None
    assert p.state.streets == ("110102010",) and p.state.categories == ()
    text = " ".join(p.notices)
    assert "火星街道" in text and "不存在" in text and "period=`x`" in text and "日期参数" in text


def test_reversed_dates_are_refused():
    p = filters.parse({"from": "2024-05-01", "to": "2024-04-01"}, CHOICES)
    assert p.state.period == "12m" and p.notices


def test_subcategory_must_belong_to_selected_category():
    p = filters.parse({"category": "噪声扰民", "sub": ["停暖", "施工噪声"]}, CHOICES)
    assert p.state.subcategories == ("施工噪声",) and "停暖" in p.notices[0]


def test_describe():
    s = FilterState("custom", date(2024, 3, 1), date(2024, 3, 31), ("110102017",), ("供暖",))
    assert filters.describe(s, CHOICES) == "2024年3月｜广内｜供暖"


def test_far_dates_are_refused_not_overflowed():
    for params in ({"to": "9999-12"}, {"from": "0001-01"}, {"from": "1900-01-01", "to": "1900-02-01"}):
        p = filters.parse(params, CHOICES)
        assert p.state.period == "12m" and p.state.start is None and p.notices, params
        w = p.state.window(CHOICES)
        assert periods.year_ago(periods.previous(w)).start.year > 2000


def test_notices_show_url_values_as_code_not_markdown():
    p = filters.parse({"street": "[点此登录](http://evil.example)"}, CHOICES)
    assert "`[点此登录](http://evil.example)`" in p.notices[0]
    assert filters.md_escape("a`b\x00c" + "x" * 200).count("`") == 2
