"""A calendar feed in iCalendar (RFC 5545), written by hand: all-day and timed events with a summary,
place, description and link is a few dozen lines, and the rules that matter are kept here — CRLF line
ends, lines folded at 75 octets without splitting a UTF-8 character, and text escaped (\\, ;, , and
newlines). Read back by `parse_ics` in tests."""

import datetime
from collections.abc import Iterable

from django.utils import timezone


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets: continuation lines start with one space."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_event(
    *,
    uid: str,
    summary: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    starts_at: datetime.datetime | None = None,
    location: str = "",
    description: str = "",
    url: str = "",
    categories: str = "",
) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{escape(uid)}", f"DTSTAMP:{_utc(timezone.now())}"]
    if starts_at is not None:
        lines += [f"DTSTART:{_utc(starts_at)}", f"DTEND:{_utc(starts_at + datetime.timedelta(hours=2))}"]
    else:
        # An all-day event ends on the day after its last day (DTEND is exclusive).
        last = (ends_on or starts_on) + datetime.timedelta(days=1)
        lines += [f"DTSTART;VALUE=DATE:{starts_on:%Y%m%d}", f"DTEND;VALUE=DATE:{last:%Y%m%d}"]
    lines.append(f"SUMMARY:{escape(summary)}")
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if categories:
        lines.append(f"CATEGORIES:{escape(categories)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def ics_calendar(*, name: str, events: Iterable[list[str]]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//QiaoJia//Shared calendar//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def parse_ics(text: str) -> list[dict[str, str]]:
    """The events of a feed as {property: value} (unfolded, unescaped), for tests and checks."""
    unfolded = text.replace("\r\n ", "")
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfolded.split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            key, value = line.split(":", 1)
            value = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
            current[key] = value
    return events
