"""A status drawn as a coloured tag, written once: `{% status_tag report %}`.

Each model says which colour each of its statuses takes in a class attribute beside the field,
`STATUS_COLOURS = {value: "green" | "red" | "orange" | "blue"}` (`<FIELD>_COLOURS` for another field);
a status it leaves out is drawn plain. Core reads the attribute and imports no app."""

from django import template
from django.apps import apps
from django.utils.html import format_html

register = template.Library()


def status_colour(model, field: str, value) -> str:
    return getattr(model, f"{field.upper()}_COLOURS", {}).get(value, "")


@register.simple_tag
def status_tag(obj, field: str = "status", *, of: str = "", label=None, html_id: str = ""):
    """`obj`'s `field` as a tag. With `of="app.Model"`, `obj` is the status value itself (a row
    annotated with a status) and `label` its text."""
    if of:
        model, value = apps.get_model(of), obj
        text = label if label is not None else value
    else:
        model, value = type(obj), getattr(obj, field)
        text = label if label is not None else getattr(obj, f"get_{field}_display")()
    colour = status_colour(model, field, value)
    return format_html(
        '<span class="tag{}"{} data-status="{}">{}</span>',
        f" tag-{colour}" if colour else "",
        format_html(' id="{}"', html_id) if html_id else "",
        value,
        text,
    )
