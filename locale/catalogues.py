"""Keep the QiaoJia gettext catalogues in shape. Run it after makemessages and before compilemessages
(`make messages` runs all three).

    .venv/bin/python manage.py makemessages --no-obsolete --no-location -l zh_Hans -l zh_Hant -l en \
        --ignore=.venv --ignore=node_modules --ignore=var
    # translate every new, empty or "#, fuzzy" entry of each zh_Hans catalogue by hand
    .venv/bin/python locale/catalogues.py
    .venv/bin/python manage.py compilemessages --ignore=.venv

The catalogues are the project's (locale/: qiaojia/templates, config and the apps without a catalogue of
their own) and each app's (qiaojia/<app>/locale/). In each, zh_Hans/LC_MESSAGES/django.po is translated by
hand. For every catalogue this script
  * gives the three languages valid headers (Language, Plural-Forms, no fuzzy header);
  * regenerates zh_Hant from zh_Hans: OpenCC phrase-level conversion ("s2t") with the glossary's forms
    (平臺, 匯編), then the usual Hong Kong / Taiwan / overseas words (FIXES), then whole-message overrides
    (OVERRIDES);
  * fills the English plural entries with the source forms;
  * lists zh_Hans entries that are still empty or fuzzy and exits with status 1 if there are any
    (those entries stay empty in zh_Hant, so readers see the English source rather than a wrong text).

Django merges all catalogues of a language into one table, so an English msgid must mean the same in
every catalogue: one with two meanings takes a context (pgettext). tests/test_catalogues.py checks it.
It needs polib (a development requirement) and OpenCC (a project requirement).
"""

import sys
from pathlib import Path

try:
    import polib
except ImportError:  # pragma: no cover
    sys.exit("locale/catalogues.py needs polib: .venv/bin/pip install polib")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from qiaojia.core import chinese  # noqa: E402 - the project's conversion, without Django

LOCALE = Path(__file__).resolve().parent
ROOT = LOCALE.parent


def catalogue_dirs() -> list[Path]:
    """The project's locale/ and every app's, in a stable order."""
    return [LOCALE, *sorted(ROOT.glob("qiaojia/*/locale"))]


def po_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


# After "s2t": OpenCC's standard character forms become the ones used in Hong Kong, Taiwan and overseas,
# and mainland words become the Traditional-reading ones. Applied in order, on the converted text.
FIXES = [
    # quotes; the character forms are those of qiaojia.core.chinese.to_traditional (為, 啟, 眾, 裡, 平臺, 匯編)
    ("“", "「"),
    ("”", "」"),
    ("‘", "『"),
    ("’", "』"),
    # words
    ("退出登錄", "登出"),
    ("登錄", "登入"),
    ("賬號", "帳號"),
    ("賬戶", "帳戶"),
    ("信息", "資料"),
    ("設置", "設定"),
    ("創建", "建立"),
    ("導出", "匯出"),
    ("導入", "匯入"),
    ("電子郵箱", "電子郵件"),
    ("聯繫", "聯絡"),
    ("脫敏", "遮蔽"),
    ("高校", "大專院校"),
    ("當前", "目前"),
    ("驗證器應用", "驗證應用程式"),
    ("默認", "預設"),
    ("視頻", "影片"),
    ("打印", "列印"),
    ("菜單", "選單"),
    ("文件", "檔案"),
    ("保存", "儲存"),
    ("刷新", "重新整理"),
    ("標籤頁", "分頁"),
    ("麪包屑", "麵包屑"),
]

# Whole messages whose Traditional wording is chosen by hand (msgid -> msgstr, or msgid tuple for plurals).
OVERRIDES = {
    "Information technology and software": "資訊傳輸、軟件和資訊科技服務業",
    "Active (untick to deactivate and end all sessions)": "啟用（取消勾選即停用帳號並強制登出）",
    "Scan this code with an authenticator app, or type the key by hand, then enter the six-digit code it shows.": "請用身份驗證應用程式掃描此二維碼，或手動輸入密鑰，然後輸入程式顯示的六位驗證碼。",
    "Six-digit code from your authenticator app": "身份驗證應用程式顯示的六位驗證碼",
    # Django's own zh_Hant catalogue (merged after ours, and winning for its apps' strings) says 移除
    "Remove": "移除",
}

HEADER = {
    "Project-Id-Version": "QiaoJia",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "QiaoJia <qiaojia@localhost>",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}
CHINESE_PLURALS = "nplurals=1; plural=0;"
ENGLISH_PLURALS = "nplurals=2; plural=(n != 1);"


def set_header(po: polib.POFile, language: str, team: str, plurals: str) -> None:
    created = po.metadata.get("POT-Creation-Date", "")
    po.metadata.update(HEADER)
    po.metadata["POT-Creation-Date"] = created
    po.metadata["PO-Revision-Date"] = created  # deterministic: a re-run without changes leaves the file as it is
    po.metadata["Language-Team"] = team
    po.metadata["Language"] = language
    po.metadata["Plural-Forms"] = plurals
    po.metadata_is_fuzzy = False
    po.header = "QiaoJia interface messages.\nThis file is distributed under the same license as the QiaoJia package."


def needs_work(entry: polib.POEntry) -> bool:
    if entry.obsolete:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def key(entry: polib.POEntry):
    return (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid


def to_traditional(text: str) -> str:
    text = chinese.to_traditional(text)  # OpenCC s2t with the character forms running text uses too
    for old, new in FIXES:
        text = text.replace(old, new)
    return text


def keep(locale_dir: Path) -> list[tuple[Path, polib.POEntry]]:
    """Headers, zh_Hant and English plurals of one catalogue; returns its zh_Hans entries still to translate."""
    hans_path, hant_path, en_path = (po_path(locale_dir, lang) for lang in ("zh_Hans", "zh_Hant", "en"))
    hans = polib.pofile(str(hans_path), wrapwidth=79)
    set_header(hans, "zh_Hans", "Simplified Chinese", CHINESE_PLURALS)
    hans.save()

    todo = [(hans_path, e) for e in hans if needs_work(e)]

    hant = polib.pofile(str(hans_path), wrapwidth=79)  # same entries, same order as the Simplified catalogue
    set_header(hant, "zh_Hant", "Traditional Chinese", CHINESE_PLURALS)
    for entry in hant:
        if entry.obsolete:
            continue
        if needs_work(entry):
            entry.msgstr = ""
            entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            continue
        override = OVERRIDES.get(key(entry))
        if entry.msgid_plural:
            entry.msgstr_plural = {i: override or to_traditional(s) for i, s in entry.msgstr_plural.items()}
        else:
            entry.msgstr = override or to_traditional(entry.msgstr)
    hant.save(str(hant_path))

    en = polib.pofile(str(en_path), wrapwidth=79)
    set_header(en, "en", "English", ENGLISH_PLURALS)
    for entry in en:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = ""
    en.save()
    return todo


def main() -> int:
    todo = []
    for locale_dir in catalogue_dirs():
        todo += keep(locale_dir)
        total = len([e for e in polib.pofile(str(po_path(locale_dir, "zh_Hans"))) if not e.obsolete])
        print(f"{locale_dir.relative_to(ROOT)}: {total} messages; zh_Hant regenerated from zh_Hans.")
    for path, entry in todo:
        state = "fuzzy" if "fuzzy" in entry.flags else "untranslated"
        context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
        print(f"  {path.relative_to(ROOT)}: {state}: {context}{entry.msgid!r}", file=sys.stderr)
    if todo:
        print(f"{len(todo)} zh_Hans messages still need a translation (left empty in zh_Hant).", file=sys.stderr)
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
