from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from qiaojia.core.forms import (
    CreateFormMixin,
    DateInput,
    FastSelect,
    FastSelectMultiple,
    FilterForm,
    VersionedFormMixin,
)
from qiaojia.core.masking import mask_phone
from qiaojia.core.validators import (
    id_number_birth_date,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    validate_credit_code,
    validate_id_number,
)

from .models import DuesStatus, Enterprise, IdKind, Industry, Membership, MembershipLevel, OverseasStatus, Person

PERSON_FORM_FIELDS = [
    "name",
    "name_en",
    "gender",
    "birth_date",
    "overseas_status",
    "country",
    "is_deputy",
    "is_cppcc_member",
    "phone",
    "email",
    "id_kind",
]


class PersonForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("ID or passport number"),
        required=False,
        max_length=30,
        help_text=_("Stored encrypted and shown masked. Leave empty to keep the number on record."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_("The person has consented to the platform keeping their ID number"),
        required=False,
    )

    class Meta:
        model = Person
        fields = PERSON_FORM_FIELDS
        widgets = {"birth_date": DateInput(), "country": FastSelect(cache_key="person-country")}
        help_texts = {"name": _("As registered, in Simplified or Traditional characters, family name first.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("gender", "country", "id_kind"):
            field = self.fields[name]
            field.choices = [("", _("Not given"))] + [c for c in field.choices if c[0] != ""]
        # The number on record is shown masked, like everywhere else; sent back unchanged, it is kept.
        if self.instance.pk and self.instance.phone:
            self.initial["phone"] = mask_phone(self.instance.phone)

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if not phone:
            return ""
        if self.instance.pk and self.instance.phone and phone == mask_phone(self.instance.phone):
            return self.instance.phone
        return normalize_phone(phone, str(self.data.get("country") or "CN"))

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number") or "")

    def clean(self):
        data = super().clean()
        number = data.get("id_number")
        kind = data.get("id_kind") or IdKind.RESIDENT_ID
        if number:
            if kind == IdKind.RESIDENT_ID:
                try:
                    validate_id_number(number)
                except ValidationError as exc:
                    self.add_error("id_number", exc)
                    return data
                birth = id_number_birth_date(number)
                if data.get("birth_date") and data["birth_date"] != birth:
                    self.add_error("birth_date", _("The birth date does not match the one in the ID number."))
            has_consent = self.instance.pk is not None and self.instance.consent_at is not None
            if not data.get("consent") and not has_consent:
                self.add_error("consent", _("An ID number can be kept only with the person's recorded consent."))
        return data


class PersonEditForm(VersionedFormMixin, PersonForm):
    pass


# What a member corrects on their own record; their name, ID number and standing are their association's to keep.
CONTACT_FIELDS = ["name_en", "phone", "email", "country"]


class PersonContactForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = CONTACT_FIELDS
        widgets = {"country": FastSelect(cache_key="person-country")}
        labels = {"country": _("Country or region of residence")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        field.choices = [("", _("Not given"))] + [c for c in field.choices if c[0] != ""]
        if self.instance.pk and self.instance.phone:
            self.initial["phone"] = mask_phone(self.instance.phone)

    clean_phone = PersonForm.clean_phone


class MemberAddForm(CreateFormMixin, PersonForm):
    """A new member: the person (reused when the ID number is already registered) and the membership."""

    association = forms.ModelChoiceField(label=_("Association"), queryset=None)
    level = forms.ChoiceField(label=_("Level"), choices=MembershipLevel.choices, initial=MembershipLevel.MEMBER)
    joined_on = forms.DateField(label=_("Joined"), widget=DateInput())
    dues_status = forms.ChoiceField(label=_("Dues"), choices=DuesStatus.choices, initial=DuesStatus.DUE)

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = associations
        self.extra_init_kwargs = ("associations",)
        self.fields["association"].queryset = associations
        if associations.count() == 1:
            self.fields["association"].initial = associations.first()


class PersonFilterForm(FilterForm):
    association = forms.IntegerField(required=False, widget=forms.HiddenInput)
    overseas_status = forms.ChoiceField(
        label=_("Overseas status"), required=False, choices=[("", _("All"))] + OverseasStatus.choices
    )
    country = CountryField(blank=True, blank_label=_("All")).formfield(
        label=_("Country or region"), required=False, widget=FastSelect(cache_key="person-filter-country")
    )
    # The keyed hash of an exact ID number: the number itself is posted, never put in a URL.
    id_hash = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)


class IdLookupForm(forms.Form):
    """Find a person by the exact ID or passport number (posted, so it never lands in a URL or log)."""

    id_number = forms.CharField(
        label=_("Exact ID number"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "name_en", "credit_code", "industry", "trade_countries", "address"]
        widgets = {"industry": FastSelect(), "trade_countries": FastSelectMultiple()}

    def clean_credit_code(self):
        code = normalize_credit_code(self.cleaned_data.get("credit_code") or "")
        if code:
            validate_credit_code(code)
        return code or None

    def validate_unique(self):
        pass

    def clean(self):
        data = super().clean()
        code = data.get("credit_code")
        # A new member enterprise with a registered code joins that record (`services.enterprise_add`);
        # only an edit cannot take another enterprise's code.
        if (
            code
            and self.instance.pk
            and Enterprise.objects.filter(credit_code=code).exclude(pk=self.instance.pk).exists()
        ):
            self.add_error(
                "credit_code", _("An enterprise with this unified social credit code is already registered.")
            )
        return data


class EnterpriseCreateForm(CreateFormMixin, EnterpriseForm):
    association = forms.ModelChoiceField(label=_("Member of association"), queryset=None)
    level = forms.ChoiceField(label=_("Level"), choices=MembershipLevel.choices, initial=MembershipLevel.MEMBER_UNIT)
    joined_on = forms.DateField(label=_("Joined"), widget=DateInput())

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = associations
        self.extra_init_kwargs = ("associations",)
        self.fields["association"].queryset = associations


class EnterpriseEditForm(VersionedFormMixin, EnterpriseForm):
    pass


class EnterpriseFilterForm(FilterForm):
    association = forms.IntegerField(required=False, widget=forms.HiddenInput)
    industry = forms.ChoiceField(label=_("Industry"), required=False, choices=[("", _("All"))] + Industry.choices)


class MembershipEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["level", "joined_on", "left_on", "dues_status"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def validate_unique(self):
        pass
