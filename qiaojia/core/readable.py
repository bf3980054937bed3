"""Words and times as the reader writes them, in one place: the separator after a label and the date
and time formats. Django's localized formats (`django.utils.formats`) in the reader's language and the
current time zone; a page, an export and a timeline all call these, so one change here changes them all."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext


def label_colon() -> str:
    """What follows a label: "：" in Chinese (no space), ": " in English. Django's forms put `_(":")`
    after every label; the catalogues give it the full-width colon."""
    colon = gettext(":")
    return colon if colon != ":" else ": "


def format_datetime(value: datetime.datetime | None) -> str:
    """A moment in the reader's time zone and language: 2025年3月5日 14:05 / 5 Mar 2025, 14:05."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def format_date(value: datetime.date | None) -> str:
    if value is None:
        return ""
    return formats.date_format(value, "DATE_FORMAT")
