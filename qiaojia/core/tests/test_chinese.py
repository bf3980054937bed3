"""Script conversion and pinyin keys (qiaojia.core.chinese). Pure functions: no database."""

import pytest

from qiaojia.core.chinese import (
    initials_key,
    pinyin_key,
    pinyin_spaced,
    search_key,
    to_script,
    to_simplified,
    to_traditional,
)

# --- Simplified / Traditional conversion ---------------------------------------------------


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("鄭定輝", "郑定辉"),
        ("僑聯", "侨联"),
        ("省僑聯", "省侨联"),
        ("文化經濟聯絡部", "文化经济联络部"),
        ("會員單位", "会员单位"),
        ("換屆", "换届"),
        ("匯報", "汇报"),
    ],
)
def test_to_simplified_converts_traditional_phrases(traditional, simplified):
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("郑定辉", "鄭定輝"),
        ("侨联", "僑聯"),
        ("文化经济联络部", "文化經濟聯絡部"),
        ("会员单位", "會員單位"),
    ],
)
def test_to_traditional_converts_simplified_phrases(simplified, traditional):
    assert to_traditional(simplified) == traditional


def test_to_simplified_leaves_simplified_text_unchanged():
    assert to_simplified("郑定辉是侨联副主席") == "郑定辉是侨联副主席"


def test_to_traditional_leaves_traditional_text_unchanged():
    assert to_traditional("鄭定輝是僑聯副主席") == "鄭定輝是僑聯副主席"


def test_conversion_round_trip_returns_original_phrase():
    assert to_simplified(to_traditional("侨商联合会")) == "侨商联合会"
    assert to_traditional(to_simplified("僑商聯合會")) == "僑商聯合會"


def test_conversion_leaves_latin_digits_and_punctuation_alone():
    text = "Hello, world! 2025-03-05 (No. 42)"
    assert to_simplified(text) == text
    assert to_traditional(text) == text


@pytest.mark.parametrize("empty", ["", None])
def test_conversion_of_empty_value_gives_empty_string(empty):
    assert to_simplified(empty) == ""
    assert to_traditional(empty) == ""


def test_to_simplified_converts_mixed_script_text_entirely():
    assert to_simplified("僑聯的發展与会议") == "侨联的发展与会议"


# --- to_script: running text in the reader's script -----------------------------------------


def test_to_script_gives_simplified_to_zh_hans_reader():
    assert to_script("僑聯的發展與會議", "zh-hans") == "侨联的发展与会议"


def test_to_script_gives_traditional_to_zh_hant_reader():
    assert to_script("侨联的发展与会议", "zh-hant") == "僑聯的發展與會議"


@pytest.mark.parametrize("language", ["zh-Hant", "ZH-HANT", "zh-hant-hk", "zh-tw", "zh-HK", "zh-mo", "zh_Hant"])
def test_to_script_treats_traditional_locale_variants_as_traditional(language):
    assert to_script("侨联", language) == "僑聯"


@pytest.mark.parametrize("language", ["zh-Hans", "zh-cn", "zh", "zh_Hans"])
def test_to_script_treats_simplified_locale_variants_as_simplified(language):
    assert to_script("僑聯", language) == "侨联"


def test_to_script_gives_an_english_reader_the_text_as_written():
    assert to_script("僑聯的發展與会议", "en") == "僑聯的發展與会议"


def test_to_script_leaves_english_text_unchanged_for_english_reader():
    text = "Annual work conference of the Federation, 5 March 2025."
    assert to_script(text, "en") == text


def test_to_script_makes_mixed_script_text_uniform():
    mixed = "僑聯的发展與会议"
    assert to_script(mixed, "zh-hans") == "侨联的发展与会议"
    assert to_script(mixed, "zh-hant") == "僑聯的發展與會議"


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("empty", ["", None])
def test_to_script_of_empty_text_gives_empty_string(language, empty):
    assert to_script(empty, language) == ""


# --- pinyin keys: both scripts give the same key ---------------------------------------------


@pytest.mark.parametrize("name", ["鄭定輝", "郑定辉"])
def test_pinyin_key_is_the_same_for_traditional_and_simplified_name(name):
    assert pinyin_key(name, as_name=True) == "zhengdinghui"
    assert pinyin_key(name) == "zhengdinghui"


@pytest.mark.parametrize("name", ["鄭定輝", "郑定辉"])
def test_initials_key_is_the_same_for_traditional_and_simplified_name(name):
    assert initials_key(name, as_name=True) == "zdh"
    assert initials_key(name) == "zdh"


@pytest.mark.parametrize("name", ["鄭定輝", "郑定辉"])
def test_pinyin_spaced_separates_syllables_with_single_spaces(name):
    assert pinyin_spaced(name, as_name=True) == "zheng ding hui"


def test_pinyin_keys_ignore_surrounding_and_inner_whitespace():
    assert pinyin_key("  鄭 定輝 ", as_name=True) == "zhengdinghui"
    assert initials_key("  鄭 定輝 ", as_name=True) == "zdh"
    assert pinyin_spaced("  鄭 定輝 ", as_name=True) == "zheng ding hui"


def test_pinyin_keys_are_lowercase_ascii_without_tones():
    for key in (pinyin_key("吕布", as_name=True), pinyin_spaced("吕布"), initials_key("郑定辉")):
        assert key == key.lower()
        assert key.isascii()
    assert pinyin_key("吕布") == "lvbu"


@pytest.mark.parametrize("empty", ["", "   "])
def test_pinyin_keys_of_blank_text_are_empty(empty):
    assert pinyin_key(empty) == ""
    assert pinyin_key(empty, as_name=True) == ""
    assert pinyin_spaced(empty, as_name=True) == ""
    assert initials_key(empty, as_name=True) == ""


def test_pinyin_spaced_joined_without_spaces_equals_pinyin_key():
    for text in ("鄭定輝", "欧阳修", "曾小明", "文化經濟聯絡部"):
        assert pinyin_spaced(text, as_name=True).replace(" ", "") == pinyin_key(text, as_name=True)


def test_initials_key_is_first_letter_of_each_spaced_syllable():
    for text in ("鄭定輝", "欧阳修", "曾小明", "尉遲恭"):
        assert initials_key(text, as_name=True) == "".join(s[0] for s in pinyin_spaced(text, as_name=True).split())


# --- surnames read as surnames (as_name=True) ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("曾小明", "zengxiaoming", "zxm"),
        ("单田芳", "shantianfang", "stf"),
        ("單田芳", "shantianfang", "stf"),
        ("仇英", "qiuying", "qy"),
        ("解缙", "xiejin", "xj"),
        ("区志伟", "ouzhiwei", "ozw"),
        ("區志偉", "ouzhiwei", "ozw"),
        ("查良镛", "zhaliangyong", "zly"),
        ("查良鏞", "zhaliangyong", "zly"),
        ("朴槿惠", "piaojinhui", "pjh"),
        ("翟天临", "zhaitianlin", "ztl"),
        ("缪斯", "miaosi", "ms"),
        ("繆斯", "miaosi", "ms"),
        ("覃丽", "qinli", "ql"),
        ("覃麗", "qinli", "ql"),
    ],
)
def test_surname_with_special_reading_is_read_as_surname(name, full, initials):
    assert pinyin_key(name, as_name=True) == full
    assert initials_key(name, as_name=True) == initials


def test_initials_read_surname_zeng_as_z():
    assert initials_key("曾小明", as_name=True) == "zxm"


def test_pinyin_spaced_reads_surname_zeng_as_zeng():
    assert pinyin_spaced("曾小明", as_name=True) == "zeng xiao ming"


def test_initials_read_surname_shan_as_s_in_both_scripts():
    assert initials_key("单田芳", as_name=True) == initials_key("單田芳", as_name=True) == "stf"


def test_single_character_surname_alone_is_read_as_surname():
    assert pinyin_key("曾", as_name=True) == "zeng"
    assert pinyin_key("覃", as_name=True) == "qin"


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("欧阳修", "ouyangxiu", "oyx"),
        ("歐陽修", "ouyangxiu", "oyx"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("尉遲恭", "yuchigong", "ycg"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("長孫無忌", "zhangsunwuji", "zswj"),
        ("万俟卨", "moqixie", "mqx"),
        ("萬俟卨", "moqixie", "mqx"),
    ],
)
def test_compound_surname_is_read_as_one_surname(name, full, initials):
    assert pinyin_key(name, as_name=True) == full
    assert initials_key(name, as_name=True) == initials


def test_pinyin_spaced_splits_compound_surname_into_syllables():
    assert pinyin_spaced("歐陽修", as_name=True) == "ou yang xiu"


def test_compound_surname_wins_over_its_first_character_reading():
    # 尉 alone is the surname Wei; 尉迟 is the compound surname Yuchi.
    assert pinyin_key("尉缭", as_name=True) == "weiliao"
    assert pinyin_key("尉迟恭", as_name=True) == "yuchigong"


def test_surname_reading_applies_only_to_the_first_character():
    # A given name containing a surname character keeps its ordinary reading.
    assert pinyin_key("王曾", as_name=True) == "wangceng"
    assert pinyin_key("李单", as_name=True) == "lidan"


def test_compound_surname_alone_is_read_as_surname():
    assert pinyin_key("欧阳", as_name=True) == "ouyang"
    assert initials_key("歐陽", as_name=True) == "oy"


# --- common readings when not a name (as_name=False) ------------------------------------------


@pytest.mark.parametrize(
    ("text", "full", "initials"),
    [
        ("曾经", "cengjing", "cj"),
        ("曾經", "cengjing", "cj"),
        ("单位", "danwei", "dw"),
        ("會員單位", "huiyuandanwei", "hydw"),
        ("解放", "jiefang", "jf"),
        ("检查", "jiancha", "jc"),
        ("地区", "diqu", "dq"),
    ],
)
def test_common_words_keep_their_common_reading_when_not_a_name(text, full, initials):
    assert pinyin_key(text) == full
    assert pinyin_key(text, as_name=False) == full
    assert initials_key(text) == initials


def test_same_text_differs_only_in_surname_reading_between_name_and_word():
    assert pinyin_key("曾经", as_name=False) == "cengjing"
    assert pinyin_key("曾经", as_name=True) == "zengjing"


def test_as_name_defaults_to_false():
    assert pinyin_key("曾小明") == "cengxiaoming"
    assert initials_key("曾小明") == "cxm"
    assert pinyin_spaced("曾小明") == "ceng xiao ming"


def test_ordinary_surname_reads_the_same_with_or_without_as_name():
    assert pinyin_key("王小明", as_name=True) == pinyin_key("王小明") == "wangxiaoming"


def test_pinyin_key_of_non_name_traditional_text_matches_simplified():
    assert pinyin_key("文化經濟聯絡部") == pinyin_key("文化经济联络部") == "wenhuajingjilianluobu"
    assert initials_key("僑聯") == initials_key("侨联") == "ql"


# --- search_key -----------------------------------------------------------------------------


def test_search_key_converts_traditional_to_simplified():
    assert search_key("鄭定輝") == "郑定辉"


def test_search_key_is_the_same_for_both_scripts():
    assert search_key("僑商聯合會") == search_key("侨商联合会") == "侨商联合会"


def test_search_key_casefolds_latin_letters():
    assert search_key("ABC Trading Ltd") == "abc trading ltd"
    assert search_key("Straße") == "strasse"


def test_search_key_casefolds_and_converts_mixed_text():
    assert search_key("  TCL 鄭定輝 ") == "tcl 郑定辉"


@pytest.mark.parametrize("empty", ["", None, "   "])
def test_search_key_of_empty_value_is_empty_string(empty):
    assert search_key(empty) == ""
