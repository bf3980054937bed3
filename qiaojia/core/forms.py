import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import QuerySet
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

    if TYPE_CHECKING:  # given by the ModelChoiceField this is mixed into
        queryset: QuerySet[Any] | None
        to_field_name: str | None
        error_messages: dict[str, Any]

    def _check_pk_range(self, value) -> None:
        queryset = self.queryset
        if queryset is None:
            return  # a field without its queryset yet: Django's own lookup says what is wrong
        field = queryset.model._meta.get_field(self.to_field_name) if self.to_field_name else queryset.model._meta.pk
        if not isinstance(field, models.IntegerField):
            return
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return  # Django's own check refuses it as "not a valid value"
        low, high = connections[queryset.db].ops.integer_field_range(field.get_internal_type())
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
        return super()._check_values(value)  # type: ignore[misc]  # Django's hook, missing from django-stubs


class FastOptionsMixin:
    """Writes a select's options in Python rather than through one template per option: a list of
    the world's ~250 countries costs Django's template widgets several milliseconds per page. With
    `cache_key` set (choices that depend only on the language, such as countries), the rendered
    select is kept per language, name, attributes and value."""

    cache_key: str | None = None
    _rendered: dict = {}

    if TYPE_CHECKING:  # given by the Select widget this is mixed into
        attrs: dict[str, Any]

        def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]: ...

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
        parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
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


class MoveForm(VersionedFormMixin):
    """One place up or down in a numbered list (`core.ordering.order_move`)."""

    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class PhotoField(forms.FileField):
    """An image to upload: the limits in the help text and the file chooser's filter. What is accepted is
    decided by the content, in `core.uploads.clean_image`."""

    def __init__(self, **kwargs):
        from . import uploads

        kwargs.setdefault("label", _("Photo"))
        kwargs.setdefault("help_text", uploads.help_text())
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}))
        super().__init__(**kwargs)


class PhotoCaptionForm(VersionedFormMixin):
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


PhotoMoveForm = MoveForm


class PhotoDeleteForm(VersionedFormMixin):
    pass
