from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from qiaojia.core.forms import DateInput, FastSelect, FilterForm
from qiaojia.core.models import AuditAction
from qiaojia.orgs.models import AssociationKind


class AuditFilterForm(FilterForm):
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[])
    object_type = forms.CharField(label=_("Record type"), required=False, max_length=100)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All"))] + AuditAction.choices


class CalendarFilterForm(forms.Form):
    """The shared calendar's filter bar: never invalid as a whole, a bad value is ignored, except an
    association that does not exist, which matches nothing (as another association's id would)."""

    view = forms.ChoiceField(
        label=_("View"), required=False, choices=[("month", _("Month")), ("list", _("List"))], initial="month"
    )
    month = forms.RegexField(label=_("Month"), regex=r"^\d{4}-\d{2}$", required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("What"), required=False, choices=[])
    association = forms.CharField(label=_("Association"), required=False, widget=FastSelect())
    kind = forms.ChoiceField(
        label=_("Association type"), required=False, choices=[("", _("All types"))] + AssociationKind.choices
    )
    city = forms.CharField(label=_("City"), required=False, max_length=50)
    country = CountryField(blank=True, blank_label=_("All")).formfield(
        label=_("Country or region"), required=False, widget=FastSelect(cache_key="calendar-country")
    )

    def __init__(self, *args, sources, facets, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("Everything"))] + [(s.key, s.label) for s in sources]
        self.fields["association"].widget.choices = [("", _("All associations"))] + [
            (str(pk), name) for pk, name in associations
        ]
        self.facet_names = []
        for facet in facets:
            self.fields[facet.name] = forms.ChoiceField(
                label=facet.label, required=False, choices=[("", _("All"))] + list(facet.choices())
            )
            self.facet_names.append(facet.name)

    def facet_fields(self):
        return [self[name] for name in self.facet_names]

    def value(self, name: str):
        if not self.is_bound:
            return None
        field = self.fields[name]
        try:
            return field.clean(self.data.get(name)) or None
        except forms.ValidationError:
            return None
