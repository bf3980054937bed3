"""Chinese text: Simplified/Traditional conversion (OpenCC, phrase level) and pinyin keys.

Search keys are always computed from the Simplified form, so that 鄭定輝 and 郑定辉 share one key.
A person's registered name is never converted for display; running text is (see `to_script`).
"""

from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin

# Surnames whose reading as a surname differs from the common reading pypinyin chooses.
# Compound surnames first: they are matched before single characters.
COMPOUND_SURNAMES: dict[str, list[str]] = {
    "万俟": ["mo", "qi"],
    "尉迟": ["yu", "chi"],
    "单于": ["chan", "yu"],
    "长孙": ["zhang", "sun"],
    "令狐": ["ling", "hu"],
    "澹台": ["tan", "tai"],
    "欧阳": ["ou", "yang"],
    "司马": ["si", "ma"],
    "诸葛": ["zhu", "ge"],
    "上官": ["shang", "guan"],
    "皇甫": ["huang", "fu"],
    "公孙": ["gong", "sun"],
    "东方": ["dong", "fang"],
    "夏侯": ["xia", "hou"],
    "慕容": ["mu", "rong"],
    "宇文": ["yu", "wen"],
}
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "解": "xie",
    "朴": "piao",
    "翟": "zhai",
    "盖": "ge",
    "乐": "yue",
    "缪": "miao",
    "覃": "qin",
    "种": "chong",
    "召": "shao",
    "纪": "ji",
    "繁": "po",
    "秘": "bi",
    "员": "yun",
    "能": "nai",
    "华": "hua",
    "任": "ren",
    "沈": "shen",
    "折": "she",
    "俞": "yu",
    "句": "gou",
    "都": "du",
    "薄": "bo",
    "宁": "ning",
    "过": "guo",
    "隗": "wei",
    "阚": "kan",
    "尉": "wei",
    "黑": "he",
    "牟": "mu",
    "莘": "shen",
    "冼": "xian",
    "洗": "xian",
    "朝": "chao",
    "重": "chong",
    "车": "che",
    "曲": "qu",
    "卜": "bu",
    "应": "ying",
    "贾": "jia",
    "柏": "bai",
    "行": "xing",
    "祭": "zhai",
    "强": "qiang",
    "藏": "zang",
    "弗": "fu",
    "燕": "yan",
    "占": "zhan",
    "粘": "nian",
    "颉": "xie",
    "逄": "pang",
    "葛": "ge",
    "参": "shen",
    "叶": "ye",
    "石": "shi",
    "长": "chang",
    "和": "he",
    "殷": "yin",
    "宿": "su",
    "那": "na",
    "陆": "lu",
    "缴": "jiao",
    "眭": "sui",
    "雍": "yong",
    "相": "xiang",
    "圈": "quan",
    "蕃": "pi",
    "乜": "nie",
    "訾": "zi",
    "贲": "ben",
    "郇": "huan",
    "蓟": "ji",
    "佴": "nai",
}


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if text else ""


# OpenCC's standard forms that Hong Kong, Taiwan and overseas readers write otherwise (as the interface's
# catalogue does, locale/catalogues.py), and the glossary's 匯編 where OpenCC writes 彙編. The glossary's
# 平臺 is OpenCC's own form; the catalogue keeps it too, so the interface and the documents agree.
_TRADITIONAL_FORMS = str.maketrans("爲啓衆覈祕羣僞峯綫裏", "為啟眾核秘群偽峰線裡")
_TRADITIONAL_WORDS = (("彙編", "匯編"), ("瞭解", "了解"))


def to_traditional(text: str) -> str:
    """Simplified to Traditional as written in Hong Kong and overseas communities (phrase level)."""
    if not text:
        return ""
    converted = _converter("s2t").convert(text).translate(_TRADITIONAL_FORMS)
    for standard, ours in _TRADITIONAL_WORDS:
        converted = converted.replace(standard, ours)
    return converted


def reads_traditional(language: str) -> bool:
    """Whether a reader of `language` (a Django language code or an Accept-Language tag) reads Traditional."""
    language = (language or "").lower().replace("_", "-")
    return language.startswith("zh-hant") or language in {"zh-tw", "zh-hk", "zh-mo"}


def reader_script(language: str) -> str:
    """ "hant" or "hans" for a reader of Chinese, "" for anyone else (who reads text as it was written)."""
    if reads_traditional(language):
        return "hant"
    return "hans" if (language or "").lower().startswith("zh") else ""


def to_script(text: str, language: str) -> str:
    """Text in the reader's script, phrase level: zh-hant readers get Traditional, zh-hans readers
    Simplified, and readers of another language the text as it was written.

    This is the one rule for everything a reader sees except people's names, which are shown as
    registered (`../shared/UX.md`): pages get it through `core.script.convert_html` (the response pass,
    which skips what the `person_name` filter marks), documents and e-mails through this function."""
    if not text:
        return ""
    script = reader_script(language)
    if script == "hant":
        return to_traditional(text)
    if script == "hans":
        return to_simplified(text)
    return text


# Names repeat (a million people share a few hundred thousand names): the syllables of short texts are
# kept, so an import or a reindex runs pypinyin once per distinct name. ~32k entries, a few MB.
_SHORT = 20


@lru_cache(maxsize=32768)
def _short_syllables(text: str, as_name: bool) -> tuple[str, ...]:
    return tuple(_syllables_uncached(text, as_name=as_name))


def syllables(text: str, *, as_name: bool) -> list[str]:
    if len(text) <= _SHORT:
        return list(_short_syllables(text, as_name))
    return _syllables_uncached(text, as_name=as_name)


def _syllables_uncached(text: str, *, as_name: bool) -> list[str]:
    simplified = to_simplified(text.strip())
    if not simplified:
        return []
    if as_name:
        for surname, reading in COMPOUND_SURNAMES.items():
            if simplified.startswith(surname):
                return reading + syllables(simplified[len(surname) :], as_name=False)
        first = simplified[0]
        if first in SURNAME_READINGS:
            return [SURNAME_READINGS[first]] + syllables(simplified[1:], as_name=False)
    return [s for s in lazy_pinyin(simplified, style=Style.NORMAL, errors="ignore", v_to_u=False) if s.strip()]


def pinyin_key(text: str, *, as_name: bool = False) -> str:
    """Full pinyin without tones, syllables joined by nothing: 郑定辉 -> zhengdinghui."""
    return "".join(syllables(text, as_name=as_name)).lower()


def pinyin_spaced(text: str, *, as_name: bool = False) -> str:
    """Full pinyin with a space between syllables: 曾小明 -> zeng xiao ming."""
    return " ".join(syllables(text, as_name=as_name)).lower()


def initials_key(text: str, *, as_name: bool = False) -> str:
    """First letters of each syllable: 郑定辉 -> zdh."""
    return "".join(s[0] for s in syllables(text, as_name=as_name) if s).lower()


def pinyin_slug(text: str, *, max_length: int = 80) -> str:
    """A readable web address from a title: 黃帝故里拜祖大典 2025 -> huang-di-gu-li-bai-zu-da-dian-2025.
    Chinese as toneless pinyin, one syllable per hyphen; Latin letters and digits kept; cut at a hyphen."""
    from django.utils.text import slugify

    simplified = to_simplified((text or "").strip())
    pieces = lazy_pinyin(simplified, style=Style.NORMAL, errors="default", v_to_u=False)
    slug = "-".join(filter(None, (slugify(piece) for piece in pieces)))
    while len(slug) > max_length and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug[:max_length]


def search_key(text: str) -> str:
    """The normalised Simplified form used for matching, case-folded for Latin letters."""
    return to_simplified(text or "").strip().casefold()
