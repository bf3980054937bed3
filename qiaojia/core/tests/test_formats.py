"""Dates, times and money as each language writes them (core.formats, the filters and the format module)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from qiaojia.core import formats

DAY = datetime.date(2025, 8, 7)


def _shift():
    start = timezone.make_aware(datetime.datetime(2025, 8, 7, 8, 0))
    return start, start + datetime.timedelta(hours=6)


@pytest.mark.parametrize(
    ("language", "day", "moment", "shift", "days"),
    [
        ("zh-hans", "2025年8月7日", "2025年8月7日 08:00", "2025年8月7日 08:00–14:00", "2025年3月5日至7日"),
        ("zh-hant", "2025年8月7日", "2025年8月7日 08:00", "2025年8月7日 08:00–14:00", "2025年3月5日至7日"),
        ("en", "7 Aug 2025", "7 Aug 2025, 08:00", "7 Aug 2025, 08:00–14:00", "5–7 Mar 2025"),
    ],
)
def test_dates_and_times_read_as_the_language_writes_them(language, day, moment, shift, days):
    start, end = _shift()
    assert formats.date_text(DAY, language) == day
    assert formats.datetime_text(start, language) == moment
    assert formats.date_range_text(start, end, language) == shift
    assert formats.date_range_text(datetime.date(2025, 3, 5), datetime.date(2025, 3, 7), language) == days


def test_ranges_across_months_and_years():
    march, april = datetime.date(2025, 3, 5), datetime.date(2025, 4, 2)
    assert formats.date_range_text(march, april, "en") == "5 Mar – 2 Apr 2025"
    assert formats.date_range_text(march, april, "zh-hans") == "2025年3月5日至4月2日"
    assert formats.date_range_text(march, datetime.date(2026, 1, 2), "zh-hant") == "2025年3月5日至2026年1月2日"
    assert formats.date_range_text(march, march, "en") == "5 Mar 2025"
    assert formats.date_range_text(None, march, "en") == ""


@pytest.mark.parametrize(
    ("value", "hans", "hant", "en"),
    [
        ("520000.00", "52万元", "52萬元", "520,000 yuan"),
        (Decimal("12000"), "1.2万元", "1.2萬元", "12,000 yuan"),
        (Decimal("123456.78"), "123,456.78元", "123,456.78元", "123,456.78 yuan"),
        (350_000_000, "3.5亿元", "3.5億元", "350,000,000 yuan"),
        (Decimal("99.5"), "99.50元", "99.50元", "99.50 yuan"),
        (0, "0元", "0元", "0 yuan"),
    ],
)
def test_money_in_the_readers_habit(value, hans, hant, en):
    assert formats.money_text(value, "zh-hans") == hans
    assert formats.money_text(value, "zh-hant") == hant
    assert formats.money_text(value, "en") == en
    assert "520000.00" not in formats.money_text(value, "zh-hans")


def test_money_under_a_heading_that_names_the_unit():
    assert formats.money_text(Decimal("520000.00"), "zh-hans", unit=False) == "52万"
    assert formats.money_text(Decimal("520000.00"), "en", unit=False) == "520,000"
    assert formats.money_text(None, "en") == "" and formats.money_text("x", "en") == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "7 Aug 2025 · 7 Aug 2025, 08:00"), ("zh-hans", "2025年8月7日 · 2025年8月7日 08:00")],
)
def test_pages_date_formats_are_unambiguous(language, expected):
    """The project's format module: `|date:"SHORT_DATE_FORMAT"` is never 08/07/2025, the clock never "8 a.m."."""
    start, _end = _shift()
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }} · {{ t|date:"SHORT_DATETIME_FORMAT" }}')
    with translation.override(language):
        assert template.render(Context({"d": DAY, "t": start})) == expected


def test_the_filters_use_the_active_language():
    start, end = _shift()
    template = Template("{% load qiaojia %}{{ d|day }} | {{ s|span:e }} | {{ m|yuan }} | {{ m|yuan_figure }}")
    context = Context({"d": DAY, "s": start, "e": end, "m": Decimal("520000.00")})
    with translation.override("zh-hant"):
        assert template.render(context) == "2025年8月7日 | 2025年8月7日 08:00–14:00 | 52萬元 | 52萬"
    with translation.override("en"):
        assert template.render(context) == "7 Aug 2025 | 7 Aug 2025, 08:00–14:00 | 520,000 yuan | 520,000"
