"""Turn a pasted or uploaded article (text or HTML) into clean paragraphs, photo captions, a date,
a source line and a title. Pure Python, no database: `clean_article(raw)` -> `CleanedArticle`.

Handles the way articles arrive from WeChat and association websites: HTML with scripts and
entities, Traditional text with the pinyin of each character in brackets (`聯(lián)` -> `聯`),
half-width punctuation after Chinese, photo captions on lines starting with `△`, and a footer after
the source line (`來源：…`) that is left out."""

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from qiaojia.core.chinese import to_simplified, to_traditional

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_SYLLABLE = rf"[a-z{TONED}]{{1,6}}[1-5]?"
# A bracket right after a Chinese character holding only pinyin syllables (half- or full-width brackets).
PINYIN_NOTE = re.compile(rf"(?<=[{CJK}])\s*[(（]\s*{_SYLLABLE}(?:\s+{_SYLLABLE})*\s*[)）]")
CAPTION_MARKS = ("△", "▲")
SOURCE_LINE = re.compile(
    r"^\s*(來源|来源|稿源|消息來源|消息来源|source|作者|author|編輯|编辑|責任編輯|责任编辑|"
    r"審核|审核|供稿|通訊員|通讯员|記者|记者|文\s*[/|｜]|圖\s*[/|｜]|图\s*[/|｜])\s*[:：/|｜\s]",
    re.IGNORECASE,
)
FULL_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")
YEAR = re.compile(r"((?:19|20)\d{2})年")
LEADING_WHEN = re.compile(
    r"^\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日"
    r"(?:上午|下午|晚上|晚間|晚间|中午|早上|清晨|晚)?[，,、\s]*"
)
SENTENCE_END = re.compile(r"[。！？!?]")
HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
PUNCT_AFTER_CJK = re.compile(rf"(?<=[{CJK}》」』”）])([,:;?!])(?!\d)")
BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "section",
    "article",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "ul",
    "ol",
    "header",
    "footer",
    "hr",
    "pre",
}
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "button", "select"}
HTML_HINT = re.compile(
    r"<\s*(?:p|br|div|html|body|span|h[1-6]|img|script|style|section|strong|a)\b[^>]*>", re.IGNORECASE
)
TITLE_MAX = 60


@dataclass
class Block:
    """One paragraph, or one photo caption (`is_caption`)."""

    text: str
    is_caption: bool = False


@dataclass
class CleanedArticle:
    title: str
    blocks: list[Block]
    date: datetime.date | None
    source_line: str
    script: str  # "hans" or "hant"
    left_out: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if not b.is_caption]

    @property
    def captions(self) -> list[str]:
        return [b.text for b in self.blocks if b.is_caption]

    @property
    def summary(self) -> str:
        first = self.paragraphs[0] if self.paragraphs else ""
        return first if len(first) <= 150 else first[:149] + "…"

    def body_text(self) -> str:
        """The article body as stored: one block per line, captions marked with `△`."""
        return "\n\n".join(("△" + b.text) if b.is_caption else b.text for b in self.blocks)

    def minutes_text(self) -> str:
        """The paragraphs for a meeting's minutes (one per line), with the source at the end."""
        lines = list(self.paragraphs)
        if self.source_line:
            lines.append(self.source_line)
        return "\n".join(lines)


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            # Line breaks inside HTML source are not paragraphs.
            self.parts.append(re.sub(r"\s*\n\s*", " ", data))


def looks_like_html(raw: str) -> bool:
    return bool(HTML_HINT.search(raw or ""))


def html_to_text(raw: str) -> str:
    """The text of an HTML fragment or page, one line per block; scripts and styles dropped."""
    parser = _TextExtractor()
    parser.feed(raw)
    parser.close()
    return "".join(parser.parts)


def strip_pinyin(text: str) -> str:
    """`聯(lián)合(hé)會` -> `聯合會`: pinyin in brackets right after a character is removed."""
    return PINYIN_NOTE.sub("", text)


def normalise_line(line: str) -> str:
    line = line.replace("\u3000", " ").replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "")
    line = re.sub(r"[ \t\r\f\v]+", " ", line).strip()
    # Spaces between Chinese characters are layout, not text.
    line = re.sub(rf"(?<=[{CJK}，。、；：！？“”「」《》（）])\s+(?=[{CJK}，。、；：！？“”「」《》（）])", "", line)
    return PUNCT_AFTER_CJK.sub(lambda m: HALF_TO_FULL[m.group(1)], line)


def detect_script(text: str) -> str:
    """ "hant" when the text has more Traditional-only than Simplified-only characters, else "hans"."""
    sample = "".join(ch for ch in text[:4000] if "\u3400" <= ch <= "\u9fff")
    if not sample:
        return "hans"
    simplified, traditional = to_simplified(sample), to_traditional(sample)
    traditional_only = sum(1 for a, b in zip(sample, simplified, strict=False) if a != b)
    simplified_only = sum(1 for a, b in zip(sample, traditional, strict=False) if a != b)
    return "hant" if traditional_only > simplified_only else "hans"


def _valid(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def detect_date(text: str, *, today: datetime.date | None = None) -> datetime.date | None:
    """The first date written in the text. A date without a year ("3月5日") takes the latest year the
    text mentions ("2025年度"), or else this year."""
    today = today or datetime.date.today()
    full = FULL_DATE.search(text)
    short = MONTH_DAY.search(text)
    if full and (not short or full.start() <= short.start()):
        found = _valid(int(full.group(1)), int(full.group(2)), int(full.group(3)))
        if found:
            return found
    if short:
        years = [int(y) for y in YEAR.findall(text) if int(y) <= today.year + 1]
        return _valid(max(years) if years else today.year, int(short.group(1)), int(short.group(2)))
    return None


def derive_title(paragraphs: list[str]) -> str:
    """The first sentence without its leading "3月5日上午，", cut to a readable length."""
    if not paragraphs:
        return ""
    first = LEADING_WHEN.sub("", paragraphs[0])
    sentence = SENTENCE_END.split(first, maxsplit=1)[0].strip()
    if len(sentence) > TITLE_MAX:
        sentence = re.split(r"[，,；;]", sentence, maxsplit=1)[0]
    return sentence[:TITLE_MAX].strip()


def _is_footer(line: str) -> bool:
    """After the source line: short lines without a sentence (an organisation's name, its English name)."""
    return len(line) <= 60 and not re.search(r"[。，；！？]", line)


def clean_article(raw: str, *, title: str = "", today: datetime.date | None = None) -> CleanedArticle:
    text = html_to_text(raw) if looks_like_html(raw) else (raw or "")
    text = strip_pinyin(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [normalise_line(line) for line in text.split("\n")]
    blocks: list[Block] = []
    sources: list[str] = []
    left_out: list[str] = []
    for line in lines:
        if not line:
            continue
        if sources and _is_footer(line) and not SOURCE_LINE.match(line):
            left_out.append(line)
        elif SOURCE_LINE.match(line):
            sources.append(line)
        elif line.startswith(CAPTION_MARKS):
            caption = line.lstrip("".join(CAPTION_MARKS)).strip()
            if caption:
                blocks.append(Block(caption, is_caption=True))
        else:
            blocks.append(Block(line))
    paragraphs = [b.text for b in blocks if not b.is_caption]
    all_text = "\n".join(paragraphs)
    return CleanedArticle(
        title=normalise_line(title) or derive_title(paragraphs),
        blocks=blocks,
        date=detect_date(all_text, today=today),
        source_line=" ".join(sources)[:200],
        script=detect_script(all_text),
        left_out=left_out,
    )


def parse_body(body: str) -> list[Block]:
    """The stored body as blocks: every non-empty line is a paragraph; `△` lines are captions."""
    blocks = []
    for line in (body or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(CAPTION_MARKS):
            caption = line.lstrip("".join(CAPTION_MARKS)).strip()
            if caption:
                blocks.append(Block(caption, is_caption=True))
        else:
            blocks.append(Block(line))
    return blocks
