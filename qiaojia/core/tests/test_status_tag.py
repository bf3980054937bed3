"""Status colours are declared once per model (`STATUS_COLOURS`) and drawn by one tag."""

import re

from django.apps import apps
from django.template import Context, Template

COLOURS = {"green", "red", "orange", "blue"}


def _declared():
    for model in apps.get_models():
        for name, colours in vars(model).items():
            if re.fullmatch(r"[A-Z_]+_COLOURS", name):
                yield model, name.removesuffix("_COLOURS").lower(), colours


def test_every_declared_colour_names_a_status_of_its_field_and_a_colour_the_stylesheet_has():
    declared = list(_declared())
    assert len(declared) >= 10
    for model, field, colours in declared:
        values = {value for value, _label in model._meta.get_field(field).choices}
        assert set(colours) <= values, (model, field)
        assert set(colours.values()) <= COLOURS, (model, field)


def test_the_tag_draws_the_declared_colour_and_the_label(business_association):
    rendered = Template("{% load status %}{% status_tag a %}").render(Context({"a": business_association}))
    assert rendered == (
        f'<span class="tag tag-green" data-status="active">{business_association.get_status_display()}</span>'
    )


def test_a_bare_value_takes_the_colour_of_the_model_it_names():
    template = Template('{% load status %}{% status_tag "returned" of="cycle.AnnualReport" label=text html_id="x" %}')
    assert template.render(Context({"text": "<退回>"})) == (
        '<span class="tag tag-red" id="x" data-status="returned">&lt;退回&gt;</span>'
    )
