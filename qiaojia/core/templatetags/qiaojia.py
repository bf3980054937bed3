from django import template
from django.utils import translation

from qiaojia.core import formats
from qiaojia.core.chinese import to_script
from qiaojia.core.masking import mask_id_number, mask_phone
from qiaojia.core.readable import label_colon
from qiaojia.core.script import person_name_html, registered_html
from qiaojia.core.validators import format_phone_national

register = template.Library()


@register.filter
def script(text: str) -> str:
    """Text in the reader's script (`chinese.to_script`). Pages are converted as a whole on their way out
    (`core.script.convert_html`); this is for text that must be converted before (a sort key, a JSON
    value). Never use it on a person's name."""
    return to_script(text or "", translation.get_language() or "zh-hans")


@register.filter
def person_name(name) -> str:
    """A person's name, shown as registered in every script: `{{ person.name|person_name }}`."""
    return person_name_html(str(name or ""))


@register.filter
def as_registered(text) -> str:
    """A text shown exactly as registered, whatever the reader's script (an association's registered name)."""
    return registered_html(str(text or ""))


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value)


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value)


@register.filter
def phone_national(value: str) -> str:
    return format_phone_national(value) if value else ""


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for paging and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag
def colon() -> str:
    """The separator after a label in running text: `{% translate "Organiser" %}{% colon %}{{ name }}`."""
    return label_colon()


@register.filter
def account_name(user) -> str:
    """An account's name: the person's registered name when the account is a person's (marked as a
    name), else the account's label ("省僑聯管理員"), which follows the reader's script like any text."""
    if user is None:
        return ""
    name = user.get_full_name() or user.get_username()
    return person_name_html(name) if getattr(user, "person_id", None) else name


@register.filter
def day(value) -> str:
    """A date as the reader writes it: 2025年3月5日 / 5 Mar 2025 (`core.formats.date_text`)."""
    return formats.date_text(value)


@register.filter
def moment(value) -> str:
    """A date and time: 2025年3月5日 14:00 / 5 Mar 2025, 14:00."""
    return formats.datetime_text(value)


@register.filter
def clock(value) -> str:
    """A time of day on the 24-hour clock: 08:00."""
    return formats.time_text(value)


@register.filter
def span(start, end=None) -> str:
    """From `start` to `end`: `{{ shift.starts_at|span:shift.ends_at }}` (`core.formats.date_range_text`)."""
    return formats.date_range_text(start, end)


@register.filter
def yuan(value) -> str:
    """A sum of money as the reader counts it: 52萬元 / 52万元 / 520,000 yuan."""
    return formats.money_text(value)


@register.filter
def yuan_figure(value) -> str:
    """A sum under a heading that names the unit ("Income (yuan)"): 52萬 / 520,000."""
    return formats.money_text(value, unit=False)
