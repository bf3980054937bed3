"""The demo accounts: one list for the loader, `manage.py demo_accounts` and the README."""

import unicodedata
from typing import NamedTuple

# Passes the validators in config/settings/base.py: 10+ characters, not common, not all digits.
DEMO_PASSWORD = "Qiaojia-demo-2025"


class Bilingual(NamedTuple):
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


class DemoAccount(NamedTuple):
    username: str
    password: str
    role_label: Bilingual
    description: Bilingual


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount(
        "admin",
        DEMO_PASSWORD,
        Bilingual("省僑聯管理員", "Federation administrator"),
        Bilingual(
            "全省所有社團、會員和會員企業，部門設置，審計記錄",
            "everything in the province: associations, members, enterprises, departments, the audit trail",
        ),
    ),
    DemoAccount(
        "staff",
        DEMO_PASSWORD,
        Bilingual("省僑聯文化經濟聯絡部工作人員", "Federation staff, Culture and Economy Liaison Department"),
        Bilingual(
            "查看和管理所有社團、負責人、會員和會員企業",
            "every association, its officers, members and member enterprises",
        ),
    ),
    DemoAccount(
        "officer",
        DEMO_PASSWORD,
        Bilingual("河南省僑商聯合會負責人", "Officer of 河南省僑商聯合會 (the business association)"),
        Bilingual(
            "本會的資料、負責人與任期、會員和會員企業；看不到其他社團",
            "that association's profile, officers and terms, members and member enterprises; no other",
        ),
    ),
    DemoAccount(
        "officer2",
        DEMO_PASSWORD,
        Bilingual("河南省歸國華僑聯誼會負責人", "Officer of 河南省歸國華僑聯誼會"),
        Bilingual(
            "只看到本會；可與 officer 對比社團之間的數據隔離",
            "that association only; compare with `officer` to see the associations kept apart",
        ),
    ),
    DemoAccount(
        "member",
        DEMO_PASSWORD,
        Bilingual("河南省僑商聯合會會員", "Member of 河南省僑商聯合會"),
        Bilingual("本人的會員資料", "their own member record"),
    ),
]


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def accounts_table(accounts: list[DemoAccount] | None = None) -> str:
    """A plain-text table, Chinese on the first line of each account and English on the second."""
    accounts = DEMO_ACCOUNTS if accounts is None else accounts
    header = ("用戶名 user", "密碼 password", "角色 role", "可以做什麼 what they can do")
    rows = []
    for account in accounts:
        rows.append((account.username, account.password, account.role_label.zh, account.description.zh))
        rows.append(("", "", account.role_label.en, account.description.en))
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(header[:3], widths, strict=True)) + "  " + header[3]]
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * display_width(header[3]))
    for index, row in enumerate(rows):
        if index and index % 2 == 0:
            lines.append("")
        lines.append(
            ("  ".join(_pad(cell, w) for cell, w in zip(row[:3], widths, strict=True)) + "  " + row[3]).rstrip()
        )
    return "\n".join(lines)
