"""Identifier and phone validators (qiaojia.core.validators). Pure functions: no database."""

import datetime

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise

from qiaojia.core.validators import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    format_phone_national,
    id_number_birth_date,
    id_number_check_character,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)

# --- helpers --------------------------------------------------------------------------------

CREDIT_CODE_BODIES = [
    "91350100M000100Y4",  # enterprise, Fujian
    "91110000600037341",  # enterprise, Beijing
    "51410000MJY123456",  # social organisation, Henan
    "12100000400000000",  # public institution
]


def credit_code(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


def wrong_credit_check(first17: str) -> str:
    right = credit_code_check_character(first17)
    return next(c for c in CREDIT_CODE_ALPHABET if c != right)


def id_number(first17: str) -> str:
    return first17 + id_number_check_character(first17)


def wrong_id_check(first17: str) -> str:
    right = id_number_check_character(first17)
    return next(c for c in "0123456789X" if c != right)


ID_BODIES = [
    "41010219900307123",  # Zhengzhou, 1990-03-07
    "44030620000229001",  # Shenzhen, leap day 2000-02-29
    "11010519491231002",  # Beijing, check character X
    "81000019850101007",  # Hong Kong resident (residence permit)
]


# --- credit code check character (GB 32100-2015) --------------------------------------------


def test_credit_code_check_character_matches_published_code():
    # 91350100M000100Y43 is the sample code printed in GB 32100-2015.
    assert credit_code_check_character("91350100M000100Y4") == "3"


def test_credit_code_check_character_follows_the_weighted_mod_31_rule():
    body = "91110000600037341"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(body, weights, strict=True))
    assert credit_code_check_character(body) == CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def test_credit_code_check_character_is_zero_when_sum_is_a_multiple_of_31():
    assert credit_code_check_character("0" * 17) == "0"


def test_credit_code_alphabet_has_31_characters_without_i_o_s_v_z():
    assert len(CREDIT_CODE_ALPHABET) == 31
    assert not set("IOSVZ") & set(CREDIT_CODE_ALPHABET)


@pytest.mark.parametrize("first17", CREDIT_CODE_BODIES)
def test_validate_credit_code_accepts_code_with_correct_check_character(first17):
    validate_credit_code(credit_code(first17))


def test_validate_credit_code_accepts_published_sample_code():
    validate_credit_code("91350100M000100Y43")


@pytest.mark.parametrize("first17", CREDIT_CODE_BODIES)
def test_validate_credit_code_rejects_wrong_check_character(first17):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(first17 + wrong_credit_check(first17))
    assert exc.value.code == "check"


def test_validate_credit_code_rejects_two_swapped_characters():
    code = credit_code("91350100M000100Y4")
    swapped = code[:8] + code[9] + code[8] + code[10:]  # M0 -> 0M
    assert swapped != code
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(swapped)
    assert exc.value.code == "check"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "9135010",
        "91350100M000100Y4",  # 17 characters: check character missing
        "91350100M000100Y430",  # 19 characters
    ],
)
def test_validate_credit_code_rejects_wrong_length(value):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(value)
    assert exc.value.code == "length"


def test_validate_credit_code_rejects_none_as_wrong_length():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(None)
    assert exc.value.code == "length"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_validate_credit_code_rejects_forbidden_letter_in_body(letter):
    code = credit_code("91350100M000100Y4")
    bad = code[:8] + letter + code[9:]
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(bad)
    assert exc.value.code == "alphabet"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_validate_credit_code_rejects_forbidden_letter_as_check_character(letter):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y4" + letter)
    assert exc.value.code == "alphabet"


@pytest.mark.parametrize("char", ["-", " ", "统", "*"])
def test_validate_credit_code_rejects_non_alphanumeric_character(char):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100" + char + "000100Y43")
    assert exc.value.code == "alphabet"


def test_validate_credit_code_accepts_lowercase_letters():
    validate_credit_code(credit_code("91350100M000100Y4").lower())
    validate_credit_code(credit_code("51410000MJY123456").lower())


def test_validate_credit_code_accepts_surrounding_whitespace():
    validate_credit_code("  " + credit_code("91350100M000100Y4") + "\n")


def test_validate_credit_code_rejects_lowercase_forbidden_letter():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100o000100Y43")
    assert exc.value.code == "alphabet"


def test_normalize_credit_code_uppercases_and_strips():
    assert normalize_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalize_credit_code(None) == ""


# --- resident ID number (GB 11643-1999) ----------------------------------------------------


def test_id_number_check_character_matches_published_example():
    # 11010519491231002X is the worked example of GB 11643-1999.
    assert id_number_check_character("11010519491231002") == "X"


def test_id_number_check_character_follows_the_weighted_mod_11_rule():
    body = "41010219900307123"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    assert id_number_check_character(body) == "10X98765432"[total % 11]


@pytest.mark.parametrize("first17", ID_BODIES)
def test_validate_id_number_accepts_number_with_correct_check_character(first17):
    validate_id_number(id_number(first17))


def test_validate_id_number_accepts_x_check_character():
    number = id_number("11010519491231002")
    assert number.endswith("X")
    validate_id_number(number)


def test_validate_id_number_accepts_lowercase_x_check_character():
    validate_id_number("11010519491231002x")


def test_validate_id_number_accepts_spaces_inside_number():
    number = id_number("41010219900307123")
    validate_id_number(f" {number[:6]} {number[6:14]} {number[14:]} ")


@pytest.mark.parametrize("first17", ID_BODIES)
def test_validate_id_number_rejects_wrong_check_character(first17):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(first17 + wrong_id_check(first17))
    assert exc.value.code == "check"


def test_validate_id_number_rejects_digit_where_x_is_due():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("110105194912310020")
    assert exc.value.code == "check"


@pytest.mark.parametrize(
    "birth",
    ["19990230", "19990229", "19991301", "19990001", "19990100", "19900431", "21000229"],
)
def test_validate_id_number_rejects_impossible_birth_date(birth):
    number = id_number("410102" + birth + "123")  # a correct check character: only the date is wrong
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == "birth_date"


def test_validate_id_number_rejects_birth_date_in_the_future():
    future = datetime.date.today() + datetime.timedelta(days=400)
    number = id_number("410102" + future.strftime("%Y%m%d") + "123")
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == "birth_date"


def test_validate_id_number_rejects_birth_date_tomorrow():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    number = id_number("410102" + tomorrow.strftime("%Y%m%d") + "123")
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == "birth_date"


def test_validate_id_number_accepts_birth_date_today():
    today = datetime.date.today()
    validate_id_number(id_number("410102" + today.strftime("%Y%m%d") + "123"))


def test_validate_id_number_rejects_implausibly_early_birth_year():
    with pytest.raises(ValidationError) as exc:
        validate_id_number(id_number("41010218790101123"))
    assert exc.value.code == "birth_date"


def test_validate_id_number_accepts_leap_day_birth():
    validate_id_number(id_number("44030620000229001"))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "41010219900307123",  # 17 characters
        "4101021990030712345",  # 19 characters
        "410102900307123",  # old 15-digit number
        "41010219900307123A",  # check character neither digit nor X
        "4101021990030712X4",  # X not in last position
        "41010２19900307123",  # full-width digit
    ],
)
def test_validate_id_number_rejects_malformed_number(value):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert exc.value.code == "format"


def test_validate_id_number_rejects_none():
    with pytest.raises(ValidationError) as exc:
        validate_id_number(None)
    assert exc.value.code == "format"


def test_normalize_id_number_uppercases_x_and_drops_spaces():
    assert normalize_id_number(" 110105 19491231 002x ") == "11010519491231002X"


def test_id_number_birth_date_reads_digits_7_to_14():
    assert id_number_birth_date("410102199003071234") == datetime.date(1990, 3, 7)


def test_id_number_birth_date_is_none_for_impossible_date():
    assert id_number_birth_date("410102199902301234") is None
    assert id_number_birth_date("short") is None


# --- phone numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13812341234",
        "138 1234 1234",
        "138-1234-1234",
        "+8613812341234",
        "+86 138 1234 1234",
        "0086 13812341234",
        "(+86) 138-1234-1234",
        " 13812341234 ",
    ],
)
def test_normalize_phone_gives_e164_for_mainland_mobile(value):
    assert normalize_phone(value) == "+8613812341234"


@pytest.mark.parametrize(
    ("value", "e164"),
    [
        ("+852 9123 4567", "+85291234567"),
        ("+85291234567", "+85291234567"),
        ("+853 6612 3456", "+85366123456"),
        ("+886 912 345 678", "+886912345678"),
        ("+1 650 253 0000", "+16502530000"),
        ("+44 20 7946 0018", "+442079460018"),
    ],
)
def test_normalize_phone_accepts_valid_foreign_number(value, e164):
    assert normalize_phone(value) == e164


def test_mainland_mobile_numbers_are_normalised_as_the_library_parses_them():
    """The eleven-digit shortcut gives what phonenumbers' full parse gives, or the same refusal, for
    every second-digit range (the carrier prefixes 11, 12 and 179 included)."""
    import random

    def parsed(text: str) -> str:
        try:
            number = phonenumbers.parse(text, "CN")
        except phonenumbers.NumberParseException:
            return "parse"
        if not phonenumbers.is_valid_number(number):
            return "invalid"
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def normalised(text: str) -> str:
        try:
            return normalize_phone(text)
        except ValidationError as exc:
            return str(exc.code)

    rng = random.Random(12)
    texts = [f"1{rng.randint(0, 9)}{rng.randint(0, 999_999_999):09d}" for _ in range(20_000)]
    texts += [f"179{rng.randint(0, 99_999_999):08d}" for _ in range(500)]
    outcomes = {normalised(t) == parsed(t) for t in texts}
    assert outcomes == {True}
    assert sum(parsed(t).startswith("+86") for t in texts) > 5_000  # the shortcut's case is most of them


def test_normalize_phone_accepts_mainland_landline():
    assert normalize_phone("010 1234 5678") == "+861012345678"


def test_normalize_phone_reads_local_number_in_given_region():
    assert normalize_phone("9123 4567", region="HK") == "+85291234567"


def test_normalize_phone_defaults_to_mainland_region_when_region_empty():
    assert normalize_phone("13812341234", region="") == "+8613812341234"


@pytest.mark.parametrize("value", ["abc", "", "   ", "phone", "+", "++86"])
def test_normalize_phone_rejects_text_that_is_not_a_number(value):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(value)
    assert exc.value.code == "parse"


def test_normalize_phone_rejects_none():
    with pytest.raises(ValidationError):
        normalize_phone(None)


@pytest.mark.parametrize(
    "value",
    [
        "12345",
        "1381234123",  # one digit short
        "138123412345",  # one digit too many
        "12012341234",  # no mobile range starts with 120
        "91234567",  # a Hong Kong number without +852 is not a mainland number
        "+852 1234",
    ],
)
def test_normalize_phone_rejects_invalid_number(value):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(value)
    assert exc.value.code in {"invalid", "parse"}


def test_validate_phone_accepts_valid_and_rejects_invalid():
    validate_phone("13812341234")
    validate_phone("+852 9123 4567")
    with pytest.raises(ValidationError):
        validate_phone("12345")


def test_format_phone_national_shows_mainland_number_in_national_format():
    assert format_phone_national("+8613812341234") == "138 1234 1234"


def test_format_phone_national_shows_mainland_landline_with_trunk_prefix():
    assert format_phone_national("+861012345678") == "010 1234 5678"


def test_format_phone_national_keeps_country_code_of_foreign_number():
    formatted = format_phone_national("+85291234567")
    assert formatted.startswith("+852")
    assert formatted.endswith("9123 4567")


def test_format_phone_national_returns_unparseable_value_unchanged():
    assert format_phone_national("garbage") == "garbage"


def test_format_phone_national_round_trips_through_normalize_phone():
    for value in ("+8613812341234", "+85291234567", "+16502530000"):
        assert normalize_phone(format_phone_national(value)) == value


# --- messages are translatable -------------------------------------------------------------

INVALID_INPUTS = [
    (validate_credit_code, "123"),
    (validate_credit_code, "91350100O000100Y43"),
    (validate_credit_code, "91350100M000100Y40"),
    (validate_id_number, "123"),
    (validate_id_number, id_number("41010219990230123")),
    (validate_id_number, "41010219900307123" + wrong_id_check("41010219900307123")),
    (normalize_phone, "abc"),
    (normalize_phone, "12345"),
]


@pytest.mark.parametrize(("validator", "value"), INVALID_INPUTS)
def test_validation_error_message_is_a_lazy_translatable_string(validator, value):
    with pytest.raises(ValidationError) as exc:
        validator(value)
    assert isinstance(exc.value.message, Promise)
    assert exc.value.code


@pytest.mark.parametrize(("validator", "value"), INVALID_INPUTS)
@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_validation_error_message_renders_in_every_interface_language(validator, value, language):
    with pytest.raises(ValidationError) as exc:
        validator(value)
    with translation.override(language):
        text = str(exc.value.messages[0])
    assert text.strip()
