from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

from qiaojia.volunteering.models import hours_text

register = template.Library()


@register.filter
def yuan(value) -> str:
    """Yuan with two decimals, large figures in the reader's habit: 1.25萬 / 12,500.00."""
    try:
        amount = Decimal(value or 0)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    language = get_language() or ""
    if language.startswith("zh") and abs(amount) >= 10000:
        unit = "万" if language == "zh-hans" else "萬"
        return f"{amount / 10000:,.2f}{unit}"
    return f"{amount:,.2f}"


@register.filter
def hours(value) -> str:
    try:
        amount = Decimal(value or 0)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return hours_text(amount)
