import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class VersionedFormMixin(forms.Form):
    """Carries the version the editor loaded, so a save over someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CreateFormMixin(forms.Form):
    """Carries a one-time token, so a create form submitted twice makes one record."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class PkRangeMixin:
    """Refuses an id that no column of its kind can hold (beyond 64 bits) as an invalid choice, before
    any query: SQLite cannot even bind such a number, and `pk__in` has no overflow guard."""

    def _check_pk_range(self, value) -> None:
        field = (
            self.queryset.model._meta.get_field(self.to_field_name)
            if self.to_field_name
            else self.queryset.model._meta.pk
        )
        if not isinstance(field, models.IntegerField):
            return
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return  # Django's own check refuses it as "not a valid value"
        low, high = connections[self.queryset.db].ops.integer_field_range(field.get_internal_type())
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ModelChoiceField(PkRangeMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            self._check_pk_range(value)
        return super().to_python(value)


class ModelMultipleChoiceField(PkRangeMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for pk in value:
                if isinstance(pk, str | int):
                    self._check_pk_range(pk)
        return super()._check_values(value)


class FastOptionsMixin:
    """Writes a select's options in Python rather than through one template per option: a list of
    the world's ~250 countries costs Django's template widgets several milliseconds per page. With
    `cache_key` set (choices that depend only on the language, such as countries), the rendered
    select is kept per language, name, attributes and value."""

    cache_key: str | None = None
    _rendered: dict = {}

    def render(self, name, value, attrs=None, renderer=None):
        if self.cache_key is None:
            return self._render(name, value, attrs)
        key = (self.cache_key, get_language(), name, repr(value), repr(sorted({**self.attrs, **(attrs or {})}.items())))
        html = self._rendered.get(key)
        if html is None:
            if len(self._rendered) > 2000:
                self._rendered.clear()
            html = self._rendered[key] = self._render(name, value, attrs)
        return html

    def _render(self, name, value, attrs):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>', option["value"], flatatt(option["attrs"]), option["label"]
                )
                for option in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class FastSelect(FastOptionsMixin, forms.Select):
    def __init__(self, attrs=None, choices=(), *, cache_key: str | None = None):
        super().__init__(attrs, choices)
        self.cache_key = cache_key


class FastSelectMultiple(FastOptionsMixin, forms.SelectMultiple):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class FilterForm(forms.Form):
    """Base of the filter bars above lists: never invalid as a whole, bad values are ignored."""

    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)

    def value(self, name: str):
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get(name) or None
