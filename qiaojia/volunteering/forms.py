from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.forms import CreateFormMixin, DateInput, FastSelect, FilterForm, VersionedFormMixin
from qiaojia.members.picker import OnePersonPickerField

from .models import (
    Beneficiary,
    Campaign,
    CampaignBrand,
    CampaignStatus,
    Donation,
    DonationKind,
    Shift,
    SignupStatus,
    hours_text,
)

FEDERATION = "federation"
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


class OrganiserMixin(forms.Form):
    """Who a new record belongs to: the federation (staff only) or one of the viewer's associations."""

    organiser = forms.ChoiceField(label=_("Organiser"))

    def setup_organiser(self, associations, federation_allowed: bool, label=None) -> None:
        self.associations = list(associations)
        self.federation_allowed = federation_allowed
        choices = [(FEDERATION, _("The federation"))] if federation_allowed else []
        choices += [(str(a.pk), a.name) for a in self.associations]
        self.fields["organiser"].choices = choices
        if label:
            self.fields["organiser"].label = label

    def clean_organiser(self):
        value = self.cleaned_data["organiser"]
        if value == FEDERATION:
            return None
        return next(a for a in self.associations if str(a.pk) == value)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["brand", "name", "starts_on", "ends_on", "place", "description"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        return data


class CampaignCreateForm(CreateFormMixin, OrganiserMixin, CampaignForm):
    field_order = ["organiser", "brand", "name", "starts_on", "ends_on", "place", "description"]

    def __init__(self, *args, associations, federation_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_organiser(associations, federation_allowed)
        self.extra_init_kwargs = ("associations", "federation_allowed")


class CampaignEditForm(VersionedFormMixin, CampaignForm):
    pass


class CampaignFilterForm(FilterForm):
    brand = forms.ChoiceField(label=_("Brand"), required=False, choices=[("", _("All brands"))] + CampaignBrand.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses"))] + CampaignStatus.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)


class StatusForm(VersionedFormMixin):
    status = forms.ChoiceField(choices=CampaignStatus.choices)


class VersionForm(VersionedFormMixin):
    pass


class ShiftForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS)

    class Meta:
        model = Shift
        fields = ["task", "starts_at", "ends_at", "place", "capacity"]

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The shift must end after it starts."))
        return data


class ShiftCreateForm(CreateFormMixin, ShiftForm):
    pass


class ShiftEditForm(VersionedFormMixin, ShiftForm):
    pass


class SignupForm(CreateFormMixin):
    """Who signs up: a person the officer may sign up, or (with no choice offered) the user themselves."""

    person = OnePersonPickerField(
        label=_("Volunteer"),
        required=False,
        help_text=_("Type the name in either script, in pinyin or by its initials, and choose the person."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.extra_init_kwargs = ("people",)
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people
            self.fields["person"].required = True


class HoursForm(VersionedFormMixin):
    status = forms.ChoiceField(
        label=_("Came?"),
        choices=[
            (SignupStatus.ATTENDED, SignupStatus.ATTENDED.label),
            (SignupStatus.NO_SHOW, SignupStatus.NO_SHOW.label),
        ],
        widget=forms.RadioSelect,
        initial=SignupStatus.ATTENDED,
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )

    def __init__(self, *args, length=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.length = length
        self.extra_init_kwargs = ("length",)
        if length is not None:
            self.fields["hours"].help_text = _("Between 0 and %(length)s hours (the shift's length).") % {
                "length": hours_text(length)
            }

    def clean(self):
        data = super().clean()
        if data.get("status") == SignupStatus.ATTENDED and data.get("hours") is None:
            self.add_error("hours", _("Enter the hours the volunteer gave."))
        return data


class BeneficiaryForm(forms.ModelForm):
    class Meta:
        model = Beneficiary
        fields = ["name", "kind", "people", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": _("The name of a person or family is seen by the organiser only.")}


class BeneficiaryCreateForm(CreateFormMixin, BeneficiaryForm):
    pass


class BeneficiaryEditForm(VersionedFormMixin, BeneficiaryForm):
    pass


class BeneficiaryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.campaign.name} · {obj.name}"


class DonationForm(forms.ModelForm):
    class Meta:
        model = Donation
        fields = [
            "kind",
            "donor_name",
            "from_abroad",
            "donor_country",
            "campaign",
            "recipient",
            "recipient_name",
            "amount",
            "description",
            "estimated_value",
            "received_on",
            "receipt_number",
            "note",
        ]
        widgets = {
            "received_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "donor_country": FastSelect(cache_key="countries"),
            "campaign": FastSelect(),
            "kind": forms.RadioSelect,
        }
        field_classes = {"recipient": BeneficiaryChoiceField}
        help_texts = {
            "amount": _("For money: the amount in yuan."),
            "description": _("For goods: what was given."),
            "estimated_value": _("For goods: their estimated value in yuan."),
            "recipient_name": _("If the recipient is not a beneficiary on record: to whom it went."),
        }

    def __init__(self, *args, campaigns, beneficiaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaigns = campaigns
        self.beneficiaries = beneficiaries
        self.fields["campaign"].queryset = campaigns
        self.fields["recipient"].queryset = beneficiaries
        self.fields["kind"].choices = DonationKind.choices

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == DonationKind.MONEY:
            if data.get("amount") is None or data["amount"] <= 0:
                self.add_error("amount", _("Enter the amount of money, more than 0 yuan."))
            if not (data.get("receipt_number") or "").strip():
                self.add_error("receipt_number", _("A money donation needs its receipt number."))
        elif kind == DonationKind.GOODS:
            if not (data.get("description") or "").strip():
                self.add_error("description", _("Describe the goods given."))
            if data.get("estimated_value") is None or data["estimated_value"] < 0:
                self.add_error("estimated_value", _("Enter the estimated value of the goods (0 or more yuan)."))
        return data


class DonationCreateForm(CreateFormMixin, OrganiserMixin, DonationForm):
    field_order = ["organiser"]

    def __init__(self, *args, associations, federation_allowed: bool, campaigns, beneficiaries, **kwargs):
        super().__init__(*args, campaigns=campaigns, beneficiaries=beneficiaries, **kwargs)
        self.setup_organiser(associations, federation_allowed, label=pgettext_lazy("association", "Recorded by"))
        self.extra_init_kwargs = ("associations", "federation_allowed", "campaigns", "beneficiaries")


class DonationEditForm(VersionedFormMixin, DonationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_init_kwargs = ("campaigns", "beneficiaries")


class DonationFilterForm(FilterForm):
    association = forms.TypedChoiceField(label=_("Association"), required=False, coerce=int, choices=[])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Money and goods"))] + DonationKind.choices
    )
    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int, choices=[])

    def __init__(self, *args, associations=(), campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].choices = [("", _("All associations"))] + [(a.pk, a.name) for a in associations]
        self.fields["campaign"].choices = [("", _("All campaigns"))] + [(c.pk, c.name) for c in campaigns]


class TotalsFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
