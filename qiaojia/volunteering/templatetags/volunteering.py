from decimal import Decimal, InvalidOperation

from django import template

from qiaojia.core.formats import money_text
from qiaojia.volunteering.models import hours_text

register = template.Library()


@register.filter
def yuan(value) -> str:
    """A sum under a heading that names the unit: 1.25萬 / 12,500 (`core.formats.money_text`)."""
    return money_text(value or 0, unit=False)


@register.filter
def hours(value) -> str:
    try:
        amount = Decimal(value or 0)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return hours_text(amount)
