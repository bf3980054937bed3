"""The gettext catalogues, read as a reader meets them.

Every zh_Hans and zh_Hant catalogue (the project's `locale/` and each app's `qiaojia/<app>/locale/`) is
complete; labels end in the full-width colon; quotes and terms are the glossary's; the compiled `.mo`
files are those of the `.po` sources; and each catalogue's translation is the one Django actually shows.
That last check is the one that matters most: Django merges every catalogue of a language into one
table (the project's `locale/` first, then the apps in INSTALLED_APPS order, Django's own included), so
two catalogues that translate the same English words differently leave one of them silently wrong. An
English word with two meanings takes a context (`pgettext`, `{% translate "x" context "y" %}`).
"""

from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, npgettext, pgettext

ROOT = Path(__file__).resolve().parent.parent
CHINESE = ("zh_Hans", "zh_Hant")
LANGUAGE_CODE = {"zh_Hans": "zh-hans", "zh_Hant": "zh-hant"}


def catalogues(language: str) -> list[Path]:
    root = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    apps = sorted((ROOT / "qiaojia").glob(f"*/locale/{language}/LC_MESSAGES/django.po"))
    return [root, *apps]


def entries(language: str):
    for path in catalogues(language):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                yield path.relative_to(ROOT), entry


def describe(path, entry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{path}: {context}{entry.msgid!r}"


def test_every_app_with_own_strings_keeps_both_chinese_catalogues():
    for language in CHINESE:
        assert (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").exists()
    for app in (ROOT / "qiaojia").glob("*/locale"):
        for language in (*CHINESE, "en"):
            assert (app / language / "LC_MESSAGES" / "django.po").exists(), f"{app}: no {language} catalogue"


@pytest.mark.parametrize("language", CHINESE)
def test_no_entry_is_untranslated_or_fuzzy(language):
    missing = [
        describe(path, entry) + (" (fuzzy)" if "fuzzy" in entry.flags else " (untranslated)")
        for path, entry in entries(language)
        if "fuzzy" in entry.flags or not entry.translated()
    ]
    assert not missing, f"{len(missing)} {language} entries need a translation:\n" + "\n".join(missing)


def _strings(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("language", CHINESE)
def test_labels_end_in_the_full_width_colon(language):
    wrong = [
        describe(path, entry)
        for path, entry in entries(language)
        for text in _strings(entry)
        if text.rstrip().endswith(":") or (entry.msgid.rstrip().endswith(":") and not text.rstrip().endswith("："))
    ]
    assert not wrong, f"{language} labels without the full-width colon:\n" + "\n".join(wrong)
    # Django's forms add `_(":")` after every label: Django's own zh_Hans catalogue gives an ASCII colon.
    with translation.override(LANGUAGE_CODE[language]):
        assert gettext(":") == "："


# Characters and words one script's catalogue must not hold, with the form it uses instead
# (GLOSSARY.md: 平臺, 匯編; one term per action: 导入 / 匯入 for import, 导出 / 匯出 for export).
FOREIGN = {
    "zh_Hans": {"「": "“", "」": "”", "汇入": "导入", "汇出": "导出", "導": "导", "匯": "汇"},
    "zh_Hant": {"“": "「", "”": "」", "導入": "匯入", "導出": "匯出", "平台": "平臺", "汇": "匯", "导": "導"},
}


@pytest.mark.parametrize("language", CHINESE)
def test_quotes_and_terms_follow_the_glossary(language):
    wrong = [
        f"{describe(path, entry)}: {bad!r} (write {good!r})"
        for path, entry in entries(language)
        for text in _strings(entry)
        for bad, good in FOREIGN[language].items()
        if bad in text
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", CHINESE)
def test_compiled_catalogues_are_those_of_the_sources(language):
    stale = []
    for path in catalogues(language):
        source = {(e.msgctxt, e.msgid): _strings(e) for e in polib.pofile(str(path)) if e.translated()}
        compiled = {(e.msgctxt, e.msgid): _strings(e) for e in polib.mofile(str(path.with_suffix(".mo"))) if e.msgid}
        if source != compiled:
            stale.append(str(path.relative_to(ROOT)))
    assert not stale, f"run `make messages`: compiled catalogues older than their sources: {stale}"


@pytest.mark.parametrize("language", CHINESE)
def test_each_catalogue_wins_for_its_own_strings(language):
    """What Django shows for each entry is that entry's translation, not another catalogue's."""
    lost = []
    with translation.override(LANGUAGE_CODE[language]):
        for path, entry in entries(language):
            if not entry.translated():
                continue
            if entry.msgid_plural:
                shown = npgettext(entry.msgctxt or "", entry.msgid, entry.msgid_plural, 1)
                if not entry.msgctxt:
                    shown = translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                expected = entry.msgstr_plural[0]
            elif entry.msgctxt:
                shown, expected = pgettext(entry.msgctxt, entry.msgid), entry.msgstr
            else:
                shown, expected = gettext(entry.msgid), entry.msgstr
            if shown != expected:
                lost.append(f"{describe(path, entry)} shows {shown!r}, not {expected!r}")
    assert not lost, (
        f"{len(lost)} {language} translations are overridden by another catalogue (give one meaning a context, "
        "or translate both alike):\n" + "\n".join(lost)
    )
