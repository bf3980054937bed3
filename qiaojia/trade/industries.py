"""The industry classification as the app uses it: codes like "C38" (section letter and division), names
in the reader's language, choices for forms, and the parsing of what a person typed into the searchable
list (a code, or a name in any of the three languages)."""

import re
from functools import lru_cache

from django.utils.translation import get_language

from qiaojia.core.chinese import pinyin_key, reads_traditional, search_key

from .gbt4754 import DIVISIONS, SECTIONS

SECTION_OF: dict[str, str] = {code: section for section, code, *_names in DIVISIONS}
_SECTION_NAMES = {letter: names for letter, *names in SECTIONS}
_DIVISION_NAMES = {code: names for _section, code, *names in DIVISIONS}


def _pick(names, language: str | None) -> str:
    language = (language or get_language() or "zh-hans").lower()
    if language.startswith("zh"):
        return names[1] if reads_traditional(language) else names[0]
    return names[2]


def code_of(division: str) -> str:
    """ "38" -> "C38"; empty for no division."""
    return f"{SECTION_OF[division]}{division}" if division in SECTION_OF else ""


def division_name(division: str, language: str | None = None) -> str:
    names = _DIVISION_NAMES.get(division)
    return _pick(names, language) if names else ""


def section_name(section: str, language: str | None = None) -> str:
    names = _SECTION_NAMES.get(section)
    return _pick(names, language) if names else ""


def division_label(division: str, language: str | None = None) -> str:
    """ "C38 电气机械和器材制造业" in the reader's language."""
    return f"{code_of(division)} {division_name(division, language)}" if division in SECTION_OF else ""


def section_label(section: str, language: str | None = None) -> str:
    return f"{section} {section_name(section, language)}" if section in _SECTION_NAMES else ""


def division_choices(language: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Divisions grouped by section, for a select with option groups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for section, code, *_names in DIVISIONS:
        groups.setdefault(section, []).append((code, division_label(code, language)))
    return [(section_label(s, language), groups[s]) for s, *_n in SECTIONS]


def section_choices(language: str | None = None) -> list[tuple[str, str]]:
    return [(letter, section_label(letter, language)) for letter, *_names in SECTIONS]


@lru_cache(maxsize=1)
def _keys() -> list[tuple[str, str, str, str]]:
    """(division, Simplified key, English key, pinyin) per division, for the search over the list."""
    return [(code, search_key(zh), en.casefold(), pinyin_key(zh)) for _s, code, zh, _t, en in DIVISIONS]


CODE = re.compile(r"^\s*([A-Ta-t])?\s*(\d{2})\b")


def parse_division(text: str) -> str | None:
    """The division a person chose from the list: "C38", "38", "C38 电气机械…", or a name in any script
    (or its pinyin) that names exactly one division. None when it names none or several."""
    text = (text or "").strip()
    if not text:
        return None
    match = CODE.match(text)
    if match:
        letter, code = match.groups()
        if code in SECTION_OF and (letter is None or letter.upper() == SECTION_OF[code]):
            return code
        return None
    found = search_divisions(text)
    return found[0] if len(found) == 1 else None


def search_divisions(text: str) -> list[str]:
    """Divisions whose name in any of the three languages (or pinyin) contains `text`."""
    key = search_key(text)
    latin = key.replace(" ", "")
    if not key:
        return []
    exact = [code for code, zh, en, py in _keys() if key in (zh, en) or latin == py]
    if exact:
        return exact
    return [code for code, zh, en, py in _keys() if key in zh or key in en or (latin.isascii() and latin in py)]
