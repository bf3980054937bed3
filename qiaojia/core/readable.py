"""Words and times as the reader writes them, in one place: the separator after a label and the date
and time formats (`core.formats`, in the reader's language and time zone); a page, an export and a
timeline all call these, so one change here changes them all."""

import datetime

from django.utils.translation import gettext

from qiaojia.core import formats


def label_colon() -> str:
    """What follows a label: "：" in Chinese (no space), ": " in English. Django's forms put `_(":")`
    after every label; the catalogues give it the full-width colon."""
    colon = gettext(":")
    return colon if colon != ":" else ": "


def format_datetime(value: datetime.datetime | None) -> str:
    """A moment in the reader's time zone and language: 2025年3月5日 14:05 / 5 Mar 2025, 14:05."""
    return "" if value is None else formats.datetime_text(value)


def format_date(value: datetime.date | None) -> str:
    return "" if value is None else formats.date_text(value)
