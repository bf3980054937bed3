from django import template
from django.utils import translation

from qiaojia.core.chinese import to_script
from qiaojia.core.masking import mask_id_number, mask_phone
from qiaojia.core.readable import label_colon
from qiaojia.core.validators import format_phone_national

register = template.Library()


@register.filter
def script(text: str) -> str:
    """Running text in the reader's script. Never use it on a registered name."""
    return to_script(text or "", translation.get_language() or "zh-hans")


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
