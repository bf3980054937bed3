import datetime
import re
from pathlib import Path

from qiaojia.news.importing import clean_article, detect_date, detect_script, parse_body, strip_pinyin

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_cce6d4194cd30017.txt"
LATIN_IN_BRACKETS = re.compile(r"[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]")


def seed():
    return clean_article(SEED.read_text(encoding="utf-8"), today=datetime.date(2026, 1, 10))


def test_seed_loses_every_pinyin_annotation():
    body = seed().body_text()
    assert not LATIN_IN_BRACKETS.search(body)
    assert "河南省僑聯召開所屬社團2025年度工作會議" in body


def test_seed_keeps_the_two_captions_in_place():
    cleaned = seed()
    assert cleaned.captions == ["會議現場", "合影留念"]
    kinds = [b.is_caption for b in cleaned.blocks]
    assert kinds[:4] == [False, True, True, False]


def test_seed_date_source_title_and_paragraphs():
    cleaned = seed()
    assert cleaned.date == datetime.date(2025, 3, 5)
    assert cleaned.source_line == "來源：河南省僑聯"
    assert cleaned.title == "河南省僑聯召開所屬社團2025年度工作會議"
    # The source has five paragraphs of text; the two lines after the source line are the site's footer.
    assert len(cleaned.paragraphs) == 5
    assert cleaned.left_out == ["河南省僑商聯合會", "Henan Association Of Overseas Businessment"]
    assert cleaned.script == "hant"
    assert cleaned.paragraphs[0].startswith("3月5日上午，河南省僑聯")


def test_html_paragraphs_breaks_entities_and_no_script():
    raw = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<p>2025年3月5日上午，省僑聯(lián)召開&nbsp;會議&amp;座談。</p>"
        "<script>alert('x')</script><p>第二段<br>第三段 &lt;b&gt;</p>"
        "<p>△會議現場</p><p>来源：河南省侨联</p></body></html>"
    )
    cleaned = clean_article(raw)
    assert cleaned.paragraphs == ["2025年3月5日上午，省僑聯召開會議&座談。", "第二段", "第三段 <b>"]
    assert cleaned.captions == ["會議現場"]
    assert cleaned.source_line == "来源：河南省侨联"
    assert cleaned.date == datetime.date(2025, 3, 5)
    assert "alert" not in cleaned.body_text()


def test_pinyin_in_full_width_brackets_and_spaces():
    assert strip_pinyin("聯（lián）合 (hé)會") == "聯合會"
    assert strip_pinyin("聯(lian2)") == "聯"
    # English in brackets and numbers are kept.
    assert strip_pinyin("僑聯(Federation)") == "僑聯(Federation)"
    assert strip_pinyin("會議(2025)") == "會議(2025)"


def test_dates_in_several_forms():
    today = datetime.date(2026, 5, 1)
    assert detect_date("2025-03-05 消息", today=today) == datetime.date(2025, 3, 5)
    assert detect_date("2025年3月5日", today=today) == datetime.date(2025, 3, 5)
    assert detect_date("3月5日上午", today=today) == datetime.date(2026, 3, 5)
    assert detect_date("沒有日期", today=today) is None


def test_script_and_body_blocks():
    assert detect_script("河南省侨联召开会议") == "hans"
    assert detect_script("河南省僑聯召開會議") == "hant"
    blocks = parse_body("第一段\n\n△照片\n第二段\n")
    assert [(b.text, b.is_caption) for b in blocks] == [("第一段", False), ("照片", True), ("第二段", False)]


def test_user_title_wins():
    assert clean_article("3月5日，開會。", title=" 自定標題 ").title == "自定標題"
