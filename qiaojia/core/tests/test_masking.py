"""Display and log masking of phone and ID numbers (qiaojia.core.masking). No database."""

import logging

import pytest

from qiaojia.core.masking import (
    MaskingExceptionReporterFilter,
    MaskingLogFilter,
    mask_id_number,
    mask_phone,
    mask_text,
)

ID = "410102199003071234"
ID_X = "11010519491231002X"

# --- mask_phone -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["+8613812341234", "13812341234", "+86 138 1234 1234", "138-1234-1234"],
)
def test_mask_phone_shows_first_three_and_last_four_of_mainland_mobile(value):
    assert mask_phone(value) == "138****1234"


def test_mask_phone_drops_the_86_country_code():
    assert not mask_phone("+8613812341234").startswith("86")


def test_mask_phone_keeps_first_three_and_last_four_digits_of_foreign_number():
    masked = mask_phone("+85291234567")
    assert masked == "852****4567"
    assert "9123" not in masked


def test_mask_phone_never_shows_the_middle_digits():
    masked = mask_phone("+8613898765432")
    assert "9876" not in masked
    assert masked.count("*") == 4


@pytest.mark.parametrize("value", ["123", "1234567"])
def test_mask_phone_hides_short_numbers_entirely(value):
    assert mask_phone(value) == "*" * len(value)


@pytest.mark.parametrize("empty", ["", None])
def test_mask_phone_of_empty_value_is_empty_string(empty):
    assert mask_phone(empty) == ""


# --- mask_id_number -------------------------------------------------------------------------


def test_mask_id_number_shows_first_three_eleven_stars_and_last_four():
    assert mask_id_number(ID) == "410***********1234"


def test_mask_id_number_keeps_the_length_of_the_number():
    masked = mask_id_number(ID)
    assert len(masked) == 18
    assert masked[3:14] == "*" * 11


def test_mask_id_number_keeps_x_check_character():
    assert mask_id_number(ID_X) == "110***********002X"


def test_mask_id_number_hides_the_birth_date():
    assert "19900307" not in mask_id_number(ID)


def test_mask_id_number_masks_passport_number_in_the_same_shape():
    assert mask_id_number("E12345678") == "E12**5678"


@pytest.mark.parametrize("value", ["abc", "1234567"])
def test_mask_id_number_hides_short_values_entirely(value):
    assert mask_id_number(value) == "*" * len(value)


@pytest.mark.parametrize("empty", ["", None])
def test_mask_id_number_of_empty_value_is_empty_string(empty):
    assert mask_id_number(empty) == ""


# --- mask_text ------------------------------------------------------------------------------


def test_mask_text_masks_phone_in_chinese_sentence():
    assert mask_text("请致电13812341234联系") == "请致电138****1234联系"


def test_mask_text_masks_id_number_in_chinese_sentence():
    assert mask_text(f"身份证号{ID}，已登记") == "身份证号410***********1234，已登记"


def test_mask_text_masks_id_number_with_x_check_character_in_either_case():
    assert mask_text(f"ID: {ID_X}.") == "ID: 110***********002X."
    assert mask_text(f"ID: {ID_X.lower()}.") == "ID: 110***********002x."


def test_mask_text_masks_id_number_glued_to_latin_letters():
    assert mask_text(f"ID{ID}") == "ID410***********1234"
    assert mask_text(f"{ID}abc") == "410***********1234abc"


@pytest.mark.parametrize(
    "phone",
    ["13812341234", "138 1234 1234", "138-1234-1234", "+8613812341234", "+86 13812341234", "+86-138-1234-1234"],
)
def test_mask_text_masks_phone_written_with_separators_or_country_code(phone):
    masked = mask_text(f"call {phone} now")
    assert masked == "call 138****1234 now"


def test_mask_text_masks_every_number_in_the_text():
    text = f"张三 13812341234, 李四 13998765432; IDs {ID},{ID_X}"
    masked = mask_text(text)
    assert masked == "张三 138****1234, 李四 139****5432; IDs 410***********1234,110***********002X"


def test_mask_text_leaves_dates_times_and_short_numbers_alone():
    text = "2025年3月5日 15:30 会议，出席123人，捐赠12345.67元，日期2024-01-15，电话分机 8021"
    assert mask_text(text) == text


def test_mask_text_leaves_longer_digit_runs_alone():
    # Bank cards, order numbers and timestamps are not phone or ID numbers.
    for text in ("card 6222021234567890123", "order 123456789012345678901", "ts 20240115123456", "n 138123412345"):
        assert mask_text(text) == text


def test_mask_text_does_not_mask_number_that_is_not_a_mobile():
    # Mainland mobiles start 13-19; 12xxxxxxxxx and landlines are left as they are.
    text = "code 12812341234, tel 010-12345678"
    assert mask_text(text) == text


def test_mask_text_masks_phone_at_start_and_end_of_text():
    assert mask_text("13812341234") == "138****1234"
    assert mask_text(ID) == "410***********1234"


def test_mask_text_leaves_text_without_numbers_unchanged():
    assert mask_text("僑聯工作會議 Annual meeting") == "僑聯工作會議 Annual meeting"


@pytest.mark.parametrize("empty", ["", None])
def test_mask_text_returns_empty_value_as_is(empty):
    assert mask_text(empty) == empty


def test_mask_text_is_idempotent():
    once = mask_text(f"tel 13812341234 id {ID}")
    assert mask_text(once) == once


# --- MaskingLogFilter -----------------------------------------------------------------------


def make_record(msg, *args):
    return logging.LogRecord("qiaojia.test", logging.INFO, __file__, 1, msg, args, None)


def test_log_filter_masks_phone_passed_as_argument():
    record = make_record("sms sent to %s", "+8613812341234")
    assert MaskingLogFilter().filter(record) is True
    assert record.getMessage() == "sms sent to 138****1234"


def test_log_filter_masks_id_number_in_the_message_itself():
    record = make_record(f"lookup of {ID} failed")
    MaskingLogFilter().filter(record)
    assert record.getMessage() == "lookup of 410***********1234 failed"


def test_log_filter_masks_numbers_in_dict_arguments():
    record = logging.LogRecord(
        "qiaojia.test",
        logging.INFO,
        __file__,
        1,
        "member %(phone)s id %(id)s",
        ({"phone": "13812341234", "id": ID},),
        None,
    )
    MaskingLogFilter().filter(record)
    assert record.getMessage() == "member 138****1234 id 410***********1234"


def test_log_filter_keeps_message_with_literal_percent_after_masking():
    record = make_record("100%% done for %s", "13812341234")
    MaskingLogFilter().filter(record)
    assert record.getMessage() == "100% done for 138****1234"


def test_log_filter_leaves_record_without_numbers_untouched():
    record = make_record("imported %d rows", 12)
    MaskingLogFilter().filter(record)
    assert record.msg == "imported %d rows"
    assert record.args == (12,)


def test_log_filter_lets_broken_log_call_through():
    record = make_record("two %s %s", "only-one")
    assert MaskingLogFilter().filter(record) is True
    assert record.msg == "two %s %s"


def test_log_filter_masks_what_a_handler_emits():
    seen = []

    class ListHandler(logging.Handler):
        def emit(self, record):
            seen.append(self.format(record))

    logger = logging.getLogger("qiaojia.tests.masking")
    handler = ListHandler()
    handler.addFilter(MaskingLogFilter())
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        logger.info("member %s registered with ID %s", "13812341234", ID)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert seen == ["member 138****1234 registered with ID 410***********1234"]


# --- MaskingExceptionReporterFilter ---------------------------------------------------------


def test_exception_reporter_masks_phone_in_a_setting():
    value = MaskingExceptionReporterFilter().cleanse_setting("ADMIN_PHONE", "13812341234")
    assert value == "138****1234"


def test_exception_reporter_hides_secret_settings():
    value = MaskingExceptionReporterFilter().cleanse_setting("LOOKUP_HASH_KEY", "s3cret")
    assert value != "s3cret"
