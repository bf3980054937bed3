"""The columns an import understands, how headers are guessed, and how cell values are read.

Headers and choice values are matched on their Simplified, case-folded form without spaces or
punctuation, so 出生日期, 出生日期 and "Birth date" all name the same column."""

import datetime
import hashlib
import re
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from qiaojia.core.chinese import search_key
from qiaojia.members.models import DuesStatus, Gender, MembershipLevel, OverseasStatus

# key -> label. The order is the template's column order.
FIELDS = {
    "name": _("Full name"),
    "name_en": _("English name"),
    "gender": _("Gender"),
    "birth_date": _("Birth date"),
    "overseas_status": _("Overseas status"),
    "country": _("Country or region"),
    "phone": _("Phone"),
    "email": _("E-mail"),
    "id_number": _("ID number"),
    "public_title": _("Public title"),
    "enterprise_name": _("Enterprise name"),
    "credit_code": _("Unified social credit code"),
    "association": _("Association"),
    "level": _("Level"),
    "joined_on": _("Joined"),
    "dues_status": _("Dues"),
}

# Headers people write, beyond the labels above in the three languages (Traditional is folded to
# Simplified before matching, so one spelling covers both scripts).
SYNONYMS = {
    "name": ["姓名", "名字", "中文名", "中文姓名", "会员姓名", "name", "fullname", "chinesename"],
    "name_en": ["英文名", "英文姓名", "外文名", "englishname", "nameinenglish"],
    "gender": ["性别", "sex", "gender"],
    "birth_date": ["出生日期", "生日", "出生年月日", "dateofbirth", "dob", "birthday", "birthdate"],
    "overseas_status": ["侨界身份", "侨属身份", "身份类别", "侨胞类别", "overseasstatus", "status"],
    "country": ["国家", "地区", "国家地区", "国家或地区", "居住国", "所在国家", "所在国", "country", "countryorregion"],
    "phone": [
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话号码",
        "phone",
        "mobile",
        "telephone",
        "tel",
        "phonenumber",
        "mobilephone",
    ],
    "email": ["邮箱", "电子邮件", "电子邮箱", "email", "mail"],
    "id_number": [
        "身份证",
        "身份证号",
        "身份证号码",
        "证件号",
        "证件号码",
        "idnumber",
        "id",
        "idno",
        "idcard",
        "idcardnumber",
    ],
    "public_title": ["职务", "社会职务", "title", "publictitle", "position"],
    "enterprise_name": [
        "企业",
        "企业名称",
        "单位",
        "单位名称",
        "公司",
        "公司名称",
        "enterprise",
        "company",
        "enterprisename",
        "companyname",
    ],
    "credit_code": ["统一社会信用代码", "信用代码", "社会信用代码", "creditcode", "unifiedsocialcreditcode", "uscc"],
    "association": ["社团", "所属社团", "社团名称", "association", "associationname"],
    "level": ["级别", "会员级别", "会员等级", "level", "membershiplevel"],
    "joined_on": ["入会日期", "入会时间", "加入日期", "joined", "joindate", "datejoined", "joinedon"],
    "dues_status": ["会费", "会费状态", "缴费情况", "dues", "duesstatus"],
}

_PUNCT = re.compile(r"[\s*:：()（）\[\]【】_\-/／.,，、'\"“”]+")


def normalize_header(text) -> str:
    return _PUNCT.sub("", search_key(str(text or "")))


@lru_cache(maxsize=1)
def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for key, words in SYNONYMS.items():
        for word in words:
            lookup.setdefault(normalize_header(word), key)
    for language in ("en", "zh-hans", "zh-hant"):
        with translation.override(language):
            for key, label in FIELDS.items():
                lookup.setdefault(normalize_header(str(label)), key)
    return lookup


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Column index (as a string) -> field key, for the headers that name a known field; each field once."""
    lookup = _header_lookup()
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = lookup.get(normalize_header(header))
        if key and key not in used:
            mapping[str(index)] = key
            used.add(key)
    return mapping


def header_signature(headers: list[str]) -> str:
    return hashlib.sha256("\x1f".join(normalize_header(h) for h in headers).encode()).hexdigest()


@lru_cache(maxsize=8)
def _choice_lookup(name: str) -> dict[str, str]:
    choices = {
        "gender": Gender,
        "overseas_status": OverseasStatus,
        "level": MembershipLevel,
        "dues_status": DuesStatus,
    }[name]
    lookup: dict[str, str] = {}
    for value in choices.values:
        lookup[normalize_header(value)] = value
    for language in ("en", "zh-hans", "zh-hant"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup.setdefault(normalize_header(str(label)), value)
    lookup.update({normalize_header(k): v for k, v in CHOICE_WORDS.get(name, {}).items()})
    return lookup


CHOICE_WORDS = {
    "gender": {"男": "m", "女": "f", "m": "m", "f": "f", "male": "m", "female": "f"},
    "overseas_status": {
        "归侨": "returned",
        "侨眷": "relative",
        "华侨": "overseas",
        "华人": "foreign_chinese",
        "外籍华人": "foreign_chinese",
        "港澳同胞": "hk_macao",
        "港澳": "hk_macao",
        "无": "none",
    },
    "level": {
        "会长单位": "president_unit",
        "副会长单位": "vice_president_unit",
        "理事单位": "director_unit",
        "会员单位": "member_unit",
        "常务理事": "standing_director",
        "理事": "director",
        "会员": "member",
    },
    "dues_status": {"已缴": "paid", "已交": "paid", "未缴": "due", "欠缴": "overdue", "免缴": "exempt"},
}


@lru_cache(maxsize=4096)
def parse_choice(name: str, value: str) -> str | None:
    return _choice_lookup(name).get(normalize_header(value))


@lru_cache(maxsize=1)
def _country_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for language in ("en", "zh-hans", "zh-hant"):
        with translation.override(language):
            for code, label in countries:
                lookup.setdefault(normalize_header(str(label)), code)
    for code in countries:
        lookup.setdefault(normalize_header(code.code), code.code)
    lookup.update(
        {
            normalize_header(k): v
            for k, v in {
                "中国": "CN",
                "中国大陆": "CN",
                "香港": "HK",
                "澳门": "MO",
                "台湾": "TW",
                "美国": "US",
                "英国": "GB",
                "马来西亚": "MY",
                "新加坡": "SG",
                "印尼": "ID",
                "泰国": "TH",
                "菲律宾": "PH",
                "日本": "JP",
                "韩国": "KR",
                "加拿大": "CA",
                "澳大利亚": "AU",
                "澳洲": "AU",
                "新西兰": "NZ",
                "法国": "FR",
                "德国": "DE",
                "意大利": "IT",
                "西班牙": "ES",
                "荷兰": "NL",
                "巴西": "BR",
                "阿根廷": "AR",
                "南非": "ZA",
                "越南": "VN",
                "缅甸": "MM",
                "柬埔寨": "KH",
                "老挝": "LA",
                "USA": "US",
                "UK": "GB",
            }.items()
        }
    )
    return lookup


@lru_cache(maxsize=4096)
def parse_country(value: str) -> str | None:
    return _country_lookup().get(normalize_header(value))


_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:0?0:00(?::00)?)?\s*$")
_COMPACT_DATE_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def parse_date(value) -> datetime.date | None:
    """A date from a cell: a spreadsheet date, 2024-03-05, 2024/3/5, 2024年3月5日 or 20240305."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE_RE.match(str(value)) or _COMPACT_DATE_RE.match(str(value))
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def cell_text(value) -> str:
    """A cell as text: whole numbers without ".0" (phone numbers typed into number cells)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()
