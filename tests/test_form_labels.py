"""Every field a form shows is labelled in the reader's language: a model field without a translated
`verbose_name` gives its form an English label ("Order:" on the department form), so each form field's
label is a lazy translation, from the model's `verbose_name` or the form's own `labels`."""

import importlib
import inspect
import pkgutil

from django import forms
from django.utils.functional import Promise

import qiaojia


def project_forms():
    for app in pkgutil.iter_modules(qiaojia.__path__):
        for name in ("forms", "user_forms"):
            try:
                module = importlib.import_module(f"qiaojia.{app.name}.{name}")
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_visible_form_field_has_a_translated_label():
    found = list(project_forms())
    assert len(found) > 50  # the walk found the project's forms
    english = [
        f"{cls.__module__}.{cls.__name__}.{name}: {field.label!r}"
        for cls in found
        for name, field in cls.base_fields.items()
        if not isinstance(field.widget, forms.HiddenInput) and field.label is not None
        if not isinstance(field.label, Promise)
    ]
    assert not english, "form fields labelled in English only:\n" + "\n".join(english)
