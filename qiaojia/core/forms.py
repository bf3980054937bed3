import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class VersionedFormMixin(forms.Form):
    """Carries the version the editor loaded, so a save over someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CreateFormMixin(forms.Form):
    """Carries a one-time token, so a create form submitted twice makes one record."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


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


class AuditFilterForm(FilterForm):
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[])
    object_type = forms.CharField(label=_("Record type"), required=False, max_length=100)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        from .models import AuditAction

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All"))] + AuditAction.choices
