"""Masking of phone and ID numbers wherever they could leave the database in clear.

Display: phone `138****1234`, ID `410***********1234` (GB/T 35273-2020 §7.3 practice). The log
filter and exception-report filter apply the same masks to free text, so error pages and logs
never carry a full number either.
"""

import logging
import re

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

PHONE_RE = re.compile(r"(?<!\d)(\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
# Bounded by non-digits only: an ID number glued to letters ("ID410102...") is still masked.
ID_RE = re.compile(r"(?<!\d)(\d{3})\d{11}(\d{3}[\dXx])(?!\d)")
NON_DIGIT_RE = re.compile(r"\D")


def mask_phone(value: str | None) -> str:
    """`+8613812341234` -> `138****1234`; foreign numbers keep their first three and last four digits."""
    if not value:
        return ""
    # A stored number is "+" and ASCII digits: no regular expression for it (an import masks 100,000).
    bare = value[1:] if value[0] == "+" else value
    digits = bare if bare.isascii() and bare.isdigit() else NON_DIGIT_RE.sub("", value)
    if value.startswith("+86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_text(text: str) -> str:
    """Mask every mainland mobile number and 18-character ID number inside free text."""
    if not text:
        return text
    text = str(text)
    text = ID_RE.sub(lambda m: m.group(1) + "*" * 11 + m.group(2), text)
    return PHONE_RE.sub(lambda m: f"{m.group(2)}****{m.group(4)}", text)


class MaskingLogFilter:
    def filter(self, record) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken log call must not hide the record
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            # Format the traceback now, masked; handlers reuse exc_text instead of formatting again.
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


class MaskingExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports hide the usual secrets and mask any phone or ID number in what they show."""

    hidden_settings = re.compile("API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL", flags=re.IGNORECASE)

    def cleanse_setting(self, key, value):
        value = super().cleanse_setting(key, value)
        return mask_text(value) if isinstance(value, str) else value

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if not params:
            return params
        params = params.copy()
        for key in list(params.keys()):
            params[key] = mask_text(str(params[key]))
        return params

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, mask_text(value) if isinstance(value, str) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


class MaskingExceptionReporter(ExceptionReporter):
    """The technical error page and e-mail, masked as a whole: exception messages and values inside
    containers are covered too, not only the variables the filter sees one by one."""

    def get_traceback_html(self):
        return mask_text(super().get_traceback_html())

    def get_traceback_text(self):
        return mask_text(super().get_traceback_text())
