"""The member picker: one form field for choosing people, used wherever members are chosen (a meeting's
participants, an activity's members) instead of a Ctrl-click list of every name.

The field renders the people chosen so far as ticked boxes and a search box; typing asks
`members:person-pick` (htmx) for suggestions from the search index, script-insensitive and pinyin-aware
(郑定辉, zheng dinghui and zdh all find 鄭定輝), within the viewer's scope and, when the field is limited to
one association, its people. Ticking a suggestion keeps it among the chosen (qiaojia.js moves it there);
without script the ticked suggestions are sent all the same. The field still checks every id against
its queryset: the picker only suggests."""

from urllib.parse import urlencode

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from qiaojia.core.forms import ModelChoiceField, ModelMultipleChoiceField

from .models import Person


def person_label(person: Person) -> str:
    return f"{person.name} · {person.public_title}" if person.public_title else person.name


class PersonPicker(forms.SelectMultiple):
    """The widget: chosen people as checkboxes named like the field, a search box outside the form's
    data (`form=""`), and the list the suggestions are swapped into."""

    template = "members/_person_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.queryset = Person.objects.none()
        self.within: int | None = None

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        values = value if isinstance(value, list | tuple) else [value]
        ids = [int(v) for v in values if str(v).isdigit() and len(str(v)) < 12]
        chosen = list(self.queryset.filter(pk__in=ids).order_by("name", "pk")) if ids else []
        params: dict[str, str | int] = {"field": name}
        if self.within is not None:
            params["within"] = self.within
        if not self.allow_multiple_selected:
            params["one"] = 1
        return mark_safe(
            render_to_string(
                self.template,
                {
                    "name": name,
                    "id": attrs.get("id") or f"id_{name}",
                    "describedby": attrs.get("aria-describedby", ""),
                    "chosen": [(p.pk, person_label(p)) for p in chosen],
                    "input_type": "checkbox" if self.allow_multiple_selected else "radio",
                    "pick_url": reverse("members:person-pick") + "?" + urlencode(params),
                },
            )
        )


class OnePersonPicker(PersonPicker):
    """The picker for one person: the chosen and the suggestions are radio buttons."""

    allow_multiple_selected = False

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class PersonPickerField(ModelMultipleChoiceField):
    """Several people, chosen with the picker. `limit_to(association)` narrows the suggestions to that
    association's people (the queryset, set by the form, is what is accepted)."""

    widget = PersonPicker

    def __init__(self, *, queryset=None, **kwargs):
        super().__init__(queryset=queryset if queryset is not None else Person.objects.none(), **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset if self._queryset is not None else Person.objects.none()

    queryset = property(ModelMultipleChoiceField._get_queryset, _set_queryset)

    def limit_to(self, association_id: int | None) -> None:
        self.widget.within = association_id

    def label_from_instance(self, obj):
        return person_label(obj)


class OnePersonPickerField(ModelChoiceField):
    """One person, chosen with the picker (a term's holder, a volunteer): as PersonPickerField, for one."""

    widget = OnePersonPicker

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=queryset if queryset is not None else Person.objects.none(), **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset if self._queryset is not None else Person.objects.none()

    queryset = property(ModelChoiceField._get_queryset, _set_queryset)

    def limit_to(self, association_id: int | None) -> None:
        self.widget.within = association_id

    def label_from_instance(self, obj):
        return person_label(obj)
