"""Validators for the identifiers and contact details the platform holds.

Messages name the field and go through gettext, so a user reads them in their own language.
"""

import datetime
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The largest id either database stores (a signed 64-bit integer): a larger number names no row, and
# must not reach a query (SQLite raises OverflowError binding it).
MAX_ID = 2**63 - 1

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def credit_code_check_character(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    """Unified social credit code (GB 32100-2015): 18 characters, the last a check character."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="length")
    if any(c not in CREDIT_CODE_ALPHABET for c in code):
        raise ValidationError(
            _("A unified social credit code uses only digits and the letters A–Y except I, O, S, V and Z."),
            code="alphabet",
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong; please check the code."),
            code="check",
        )


def id_number_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def id_number_birth_date(value: str) -> datetime.date | None:
    code = normalize_id_number(value)
    try:
        return datetime.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except (ValueError, IndexError):
        return None


def validate_id_number(value: str) -> None:
    """Resident ID number (GB 11643-1999): 17 digits, a check character, a real birth date."""
    code = normalize_id_number(value)
    if len(code) != 18 or not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        raise ValidationError(_("A resident ID number has 17 digits followed by a digit or X."), code="format")
    birth = id_number_birth_date(code)
    if birth is None or birth > timezone.localdate() or birth.year < 1880:
        raise ValidationError(_("The birth date inside this ID number is not a real date."), code="birth_date")
    if id_number_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this ID number is wrong; please check the number."), code="check"
        )


# A mainland mobile number written as its eleven digits: nothing for the parser to strip or convert (the
# carrier prefixes it strips, 11xx, 12xx and 179xx, are left to it), so when the library holds the number
# valid its E.164 form is "+86" and the digits. Imports parse one per row; this is a third of the time.
_CN_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def normalize_phone(value: str, region: str = "CN") -> str:
    """Parse a phone number and return it in E.164, or raise ValidationError."""
    text = (value or "").strip()
    if region == "CN" and _CN_MOBILE.fullmatch(text) and not text.startswith("179"):
        if phonenumbers.is_valid_number(phonenumbers.PhoneNumber(country_code=86, national_number=int(text))):
            return "+86" + text
    try:
        number = phonenumbers.parse((value or "").strip(), region or "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number."), code="parse") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This phone number is not valid for its country."), code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalize_phone(value)


def format_phone_national(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
