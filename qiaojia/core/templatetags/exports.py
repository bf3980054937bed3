"""The "Export" button group of a list's toolbar: the page's own filters, in CSV or Excel."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("core/_export_buttons.html", takes_context=True)
def export_buttons(context, url_name: str):
    params = context["request"].GET.copy()
    for key in ("page", "format"):
        params.pop(key, None)
    base = reverse(url_name)
    links = {}
    for fmt in ("csv", "xlsx"):
        params["format"] = fmt
        links[fmt] = f"{base}?{params.urlencode()}"
    return {"csv_url": links["csv"], "xlsx_url": links["xlsx"]}
