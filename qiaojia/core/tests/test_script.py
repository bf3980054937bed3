"""One rule for script: everything a reader sees in their script, people's names as registered."""

from django.template import Context, Template
from django.test import Client
from django.utils import translation

from qiaojia.core.chinese import to_script, to_traditional
from qiaojia.core.script import convert_html


def test_phrase_level_conversion_with_the_glossarys_forms():
    assert to_traditional("建立侨界交流平台") == "建立僑界交流平臺"
    assert to_traditional("年度报告汇编") == "年度報告匯編"
    assert to_script("并且合并", "zh-hant") == "並且合併"  # phrase level: an excerpt keeps no 并
    assert to_script("河南省僑商聯合會", "zh-hans") == "河南省侨商联合会"


def test_english_readers_see_text_as_it_was_written():
    assert to_script("河南省僑商聯合會", "en") == "河南省僑商聯合會"
    assert to_script("侨联", "en") == "侨联"
    assert convert_html("<p>河南省僑商聯合會</p>", "en") == "<p>河南省僑商聯合會</p>"


def test_a_page_follows_the_reader_except_names_and_what_a_form_sends_back():
    html = (
        '<title>省僑聯</title><header>省僑聯管理員 · 侨联管理员</header><p title="會議">工作會議 '
        '<span data-name="">鄭定輝</span></p><input value="河南省僑商聯合會" placeholder="搜索僑聯">'
        '<textarea>會議紀要</textarea><select data-name=""><option>鄭定輝</option></select>'
        '<select><option value="河南省僑商聯合會">河南省僑商聯合會</option></select>'
        "<script>var a = '僑聯';</script><span data-registered><b>河南省僑商聯合會</b></span>"
    )
    hans = convert_html(html, "zh-hans")
    assert "<title>省侨联</title>" in hans and "<header>省侨联管理员 · 侨联管理员</header>" in hans
    assert 'title="会议">工作会议 <span data-name="">鄭定輝</span>' in hans
    assert 'value="河南省僑商聯合會" placeholder="搜索侨联"' in hans and "<textarea>會議紀要</textarea>" in hans
    assert "<option>鄭定輝</option>" in hans
    assert '<option value="河南省僑商聯合會">河南省侨商联合会</option>' in hans
    assert "var a = '僑聯';" in hans and "<b>河南省僑商聯合會</b>" in hans
    hant = convert_html(html.replace("省僑聯管理員", "省侨联管理员"), "zh-hant")
    assert "<header>省僑聯管理員 · 僑聯管理員</header>" in hant


def test_the_person_name_filter_marks_a_name_and_the_page_keeps_it(db):
    template = Template("{% load qiaojia %}{{ name|person_name }} {{ org|as_registered }} {{ org }}")
    rendered = template.render(Context({"name": "鄭定輝", "org": "河南省僑商聯合會"}))
    assert (
        rendered == '<span data-name="">鄭定輝</span> <span data-registered="">河南省僑商聯合會</span> 河南省僑商聯合會'
    )
    assert convert_html(rendered, "zh-hans").endswith("</span> 河南省侨商联合会")
    assert convert_html(rendered, "zh-hans").startswith('<span data-name="">鄭定輝</span>')


def test_every_html_response_is_converted_for_its_reader(db):
    """The login page: its words come from the catalogue, and the pass leaves a zh-Hant page Traditional."""
    page = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    with translation.override("zh-hant"):
        assert 'lang="zh-hant"' in page
    assert convert_html(page, "zh-hant") == page  # already converted on its way out
