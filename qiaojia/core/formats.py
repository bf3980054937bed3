"""Dates, times and money as the reader's language writes them: one helper for every page and document.

- Dates: "2025年3月5日" in Chinese, "5 Mar 2025" in English; never a numeric date a reader could take
  for another day (07/08/2025) and never an ISO date in running text. Pages' `|date:"DATE_FORMAT"`
  and `"SHORT_DATE_FORMAT"` give the same (the project's format module, `core.locale_formats`).
- Times: one 24-hour clock in every language ("14:00"), in the platform's time zone.
- Ranges: a shift or a meeting as one phrase ("2025年3月5日 08:00–14:00", "5 Mar 2025, 08:00–14:00";
  "2025年3月5日至7日", "5–7 Mar 2025").
- Money in yuan: Chinese readers count large sums in 萬/万 and 億/亿 ("52萬元", "1.2万元") when that is
  exact to the fen, else "123,456.78元"; English readers "520,000 yuan", "1,234.50 yuan".

Each function takes the language (a Django code) and defaults to the active one; templates use the
filters in `core.templatetags.qiaojia` (`day`, `moment`, `clock`, `span`, `yuan`)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone, translation

from .chinese import reads_traditional

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DASH = "–"


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "zh-hans").lower()


def _chinese(language: str) -> bool:
    return language.startswith("zh")


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _as_date(value) -> datetime.date:
    return _local(value).date() if isinstance(value, datetime.datetime) else value


def date_text(value, language: str | None = None) -> str:
    """A day: "2025年3月5日" / "5 Mar 2025". A datetime is taken on the platform's clock."""
    if value in (None, ""):
        return ""
    day = _as_date(value)
    if _chinese(_language(language)):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def time_text(value, language: str | None = None) -> str:
    """A time of day on one 24-hour clock: "08:00", "14:00"."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return f"{value.hour:02d}:{value.minute:02d}"


def datetime_text(value, language: str | None = None) -> str:
    """A moment: "2025年3月5日 14:00" / "5 Mar 2025, 14:00"."""
    if value in (None, ""):
        return ""
    language = _language(language)
    separator = " " if _chinese(language) else ", "
    return f"{date_text(value, language)}{separator}{time_text(value, language)}"


def date_range_text(start, end=None, language: str | None = None) -> str:
    """From `start` to `end` as one phrase. Datetimes on one day share the date ("2025年3月5日 08:00–14:00");
    days share what they can ("2025年3月5日至7日", "5–7 Mar 2025", "5 Mar – 2 Apr 2025")."""
    if start in (None, ""):
        return ""
    language = _language(language)
    if end in (None, "") or end == start:
        return datetime_text(start, language) if isinstance(start, datetime.datetime) else date_text(start, language)
    if isinstance(start, datetime.datetime) and isinstance(end, datetime.datetime):
        if _as_date(start) == _as_date(end):
            return f"{datetime_text(start, language)}{_DASH}{time_text(end, language)}"
        return f"{datetime_text(start, language)} {_DASH} {datetime_text(end, language)}"
    first, last = _as_date(start), _as_date(end)
    if first == last:
        return date_text(first, language)
    if _chinese(language):
        if first.year != last.year:
            return f"{date_text(first, language)}至{date_text(last, language)}"
        if first.month != last.month:
            return f"{date_text(first, language)}至{last.month}月{last.day}日"
        return f"{date_text(first, language)}至{last.day}日"
    if first.year != last.year:
        return f"{date_text(first, language)} {_DASH} {date_text(last, language)}"
    if first.month != last.month:
        return f"{first.day} {_MONTHS[first.month - 1]} {_DASH} {date_text(last, language)}"
    return f"{first.day}{_DASH}{date_text(last, language)}"


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _grouped(amount: Decimal, *, places: bool) -> str:
    text = f"{amount:,.2f}"
    if not places and text.endswith(".00"):
        text = text[:-3]
    return text


def _trimmed(amount: Decimal) -> str:
    """A count of 萬 or 億 with no trailing zeros: 52, 1.2, 12.35."""
    text = format(amount.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_text(value, language: str | None = None, *, unit: bool = True) -> str:
    """A sum in yuan as the reader counts it: "52萬元" / "52万元" / "520,000 yuan"; "" for no sum.
    Without `unit` (under a heading that says "(yuan)"): "52萬" / "520,000"."""
    amount = _decimal(value)
    if amount is None:
        return ""
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    language = _language(language)
    if not _chinese(language):
        return f"{_grouped(amount, places=False)}{' yuan' if unit else ''}"
    traditional = reads_traditional(language)
    # 億 when exact to the 萬, 萬 when exact to the hundred yuan; else every figure, grouped.
    yuan = "元" if unit else ""
    for size, exact, hant, hans in ((10**8, 10**4, "億", "亿"), (10**4, 100, "萬", "万")):
        if abs(amount) >= size and amount % exact == 0:
            return f"{_trimmed(amount / size)}{hant if traditional else hans}{yuan}"
    return f"{_grouped(amount, places=False)}{yuan}"
