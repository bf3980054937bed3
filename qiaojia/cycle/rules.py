"""The dates of the cycle, from settings (DOMAIN-RULES: due 31 March, resubmit within 5 working days)."""

import datetime

from django.conf import settings


def report_deadline(year: int) -> datetime.date:
    """The date the annual report on `year` is due to the federation (default 31 March of `year + 1`)."""
    month, day = (int(p) for p in getattr(settings, "QIAOJIA_REPORT_DEADLINE", "03-31").split("-"))
    return datetime.date(year + 1, month, day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday to Friday) after `start`. Public holidays are not known here."""
    current = start
    while days > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def resubmit_days() -> int:
    return int(getattr(settings, "QIAOJIA_RESUBMIT_WORKING_DAYS", 5))


def current_report_year(today: datetime.date) -> int:
    """The year whose report is being collected now: before the deadline month it is last year."""
    return today.year - 1
