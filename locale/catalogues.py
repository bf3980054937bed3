"""Keep the QiaoJia gettext catalogues in shape. Run it after makemessages and before compilemessages.

    .venv/bin/python manage.py makemessages --no-obsolete --no-location -l zh_Hans -l zh_Hant -l en \
        --ignore=.venv --ignore=node_modules --ignore=var
    # translate every new, empty or "#, fuzzy" entry in locale/zh_Hans/LC_MESSAGES/django.po by hand
    .venv/bin/python locale/catalogues.py
    .venv/bin/python manage.py compilemessages --ignore=.venv

locale/zh_Hans/LC_MESSAGES/django.po is the catalogue that is translated by hand. This script
  * gives the three catalogues valid headers (Language, Plural-Forms, no fuzzy header);
  * regenerates locale/zh_Hant/LC_MESSAGES/django.po from zh_Hans: OpenCC phrase-level conversion ("s2t"),
    then the usual Hong Kong / Taiwan / overseas forms (FIXES), then whole-message overrides (OVERRIDES);
  * fills the English plural entries with the source forms;
  * lists zh_Hans entries that are still empty or fuzzy and exits with status 1 if there are any
    (those entries stay empty in zh_Hant, so readers see the English source rather than a wrong text).

It needs polib and OpenCC: OpenCC is a project requirement; polib is a local tool (.venv/bin/pip install polib).
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
HANS = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
HANT = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"
EN = LOCALE / "en" / "LC_MESSAGES" / "django.po"

# After "s2t": OpenCC's standard character forms become the ones used in Hong Kong, Taiwan and overseas,
# and mainland words become the Traditional-reading ones. Applied in order, on the converted text.
FIXES = [
    # character forms beyond those of qiaojia.core.chinese.to_traditional (為, 啟, 眾, 裡, 匯編, ...)
    ("臺", "台"),
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
]

# Whole messages whose Traditional wording is chosen by hand (msgid -> msgstr, or msgid tuple for plurals).
OVERRIDES = {
    "Information technology and software": "資訊傳輸、軟件和資訊科技服務業",
    "Active (untick to deactivate and end all sessions)": "啟用（取消勾選即停用帳號並強制登出）",
    "Scan this code with an authenticator app, or type the key by hand, then enter the six-digit code it shows.": "請用身份驗證應用程式掃描此二維碼，或手動輸入密鑰，然後輸入程式顯示的六位驗證碼。",
    "Six-digit code from your authenticator app": "身份驗證應用程式顯示的六位驗證碼",
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


def main() -> int:
    hans = polib.pofile(str(HANS), wrapwidth=79)
    set_header(hans, "zh_Hans", "Simplified Chinese", CHINESE_PLURALS)
    hans.save()

    todo = [e for e in hans if needs_work(e)]

    hant = polib.pofile(str(HANS), wrapwidth=79)  # same entries, same order as the Simplified catalogue
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
    hant.save(str(HANT))

    en = polib.pofile(str(EN), wrapwidth=79)
    set_header(en, "en", "English", ENGLISH_PLURALS)
    for entry in en:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = ""
    en.save()

    total = len([e for e in hans if not e.obsolete])
    print(f"{total} messages; zh_Hant regenerated from zh_Hans; en headers and plurals set.")
    for entry in todo:
        state = "fuzzy" if "fuzzy" in entry.flags else "untranslated"
        print(f"  {state}: {entry.msgid!r}", file=sys.stderr)
    if todo:
        print(f"{len(todo)} zh_Hans messages still need a translation (left empty in zh_Hant).", file=sys.stderr)
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
