"""The kept list of countries and regions (django-countries, corrected by COUNTRIES_OVERRIDE): every name is
unique in every language, and Hong Kong, Macao and Taiwan are named as Chinese usage requires (UX.md)."""

from collections import defaultdict

import pytest
from django.utils import translation
from django_countries import countries


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_no_two_countries_share_a_name(language):
    with translation.override(language):
        codes_by_name = defaultdict(list)
        for code, name in countries:
            codes_by_name[str(name)].append(code)
    shared = {name: codes for name, codes in codes_by_name.items() if len(codes) > 1}
    assert not shared


@pytest.mark.parametrize(
    "language,expected",
    [
        ("zh-hans", {"HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾", "GL": "格陵兰", "MQ": "马提尼克"}),
        ("zh-hant", {"HK": "中國香港", "MO": "中國澳門", "TW": "中國臺灣", "GL": "格陵蘭", "WS": "薩摩亞"}),
        ("en", {"HK": "Hong Kong, China", "MO": "Macao, China", "TW": "Taiwan, China", "GL": "Greenland"}),
    ],
)
def test_regions_and_corrected_names(language, expected):
    with translation.override(language):
        assert {code: str(countries.name(code)) for code in expected} == expected


def test_chinese_regions_come_first_after_china():
    assert [code for code, _name in countries][:4] == ["CN", "HK", "MO", "TW"]
