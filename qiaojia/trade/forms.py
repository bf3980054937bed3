from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from qiaojia.core.forms import CreateFormMixin, DateInput, FilterForm, VersionedFormMixin

from . import industries
from .gbt4754 import DIVISIONS
from .models import Offer, OfferKind, OfferSide, OfferStatus, TradeProfile
from .services import OFFER_FIELDS, PROFILE_FIELDS


class IndustryInput(forms.TextInput):
    """A text box with the 97 divisions as its searchable list: typing a code ("C38") or any part of a name
    narrows it. Each option shows the name in the other two languages as well, so any of them is found."""

    def format_value(self, value):
        if value in industries.SECTION_OF:
            return industries.division_label(value)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or 'id_' + name}-list"
        attrs = {**(attrs or {}), "list": list_id, "autocomplete": "off"}
        box = super().render(name, value, attrs, renderer)
        language = get_language() or "zh-hans"
        others = []
        for _section, code, hans, hant, english in DIVISIONS:
            shown = industries.division_label(code, language)
            rest = [n for n in (hans, hant, english) if n not in shown]
            others.append((shown, " / ".join(rest)))
        options = format_html_join("", '<option value="{}">{}</option>', others)
        return mark_safe(box + format_html('<datalist id="{}">{}</datalist>', list_id, options))


class IndustryField(forms.CharField):
    """A division of GB/T 4754-2017, typed or chosen from the searchable list; cleans to its two digits."""

    widget = IndustryInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Industry"))
        kwargs.setdefault("help_text", _("Type a code such as C38 or part of the industry's name, and choose."))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return ""
        division = industries.parse_division(text)
        if division is None:
            raise forms.ValidationError(_("Choose an industry from the list."), code="industry")
        return division


class OfferForm(forms.ModelForm):
    division = IndustryField()

    class Meta:
        model = Offer
        fields = OFFER_FIELDS  # what the service writes is what the form asks
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
        }

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The item cannot stop being valid before it starts."))
        return data


class OfferCreateForm(CreateFormMixin, OfferForm):
    posting = forms.ChoiceField(label=_("Posted through"))
    field_order = ["posting", "kind", "title"]

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.extra_init_kwargs = ("options",)
        self.fields["posting"].choices = [
            (o.key, f"{o.association.name} · {o.enterprise.name}" if o.enterprise else o.association.name)
            for o in options
        ]

    def clean_posting(self):
        value = self.cleaned_data["posting"]
        return next(o for o in self.options if o.key == value)


class OfferEditForm(VersionedFormMixin, OfferForm):
    pass


class VersionForm(VersionedFormMixin):
    pass


class ConfirmForm(forms.Form):
    """A button that changes something: the page sends `confirm`, so a bare POST changes nothing."""

    confirm = forms.BooleanField(required=True, widget=forms.HiddenInput)


class ReturnForm(VersionedFormMixin):
    reason = forms.CharField(
        label=_("What should be changed"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF or an image (JPEG or PNG)."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )


def _country_choices():
    return [("", _("All countries and regions")), *countries]


def _industry_filter(text: str | None) -> tuple[str | None, str | None]:
    """(division, section) a filter box names: a division, or a section letter alone."""
    text = (text or "").strip()
    if len(text) == 1 and text.upper() in {s for s in industries.SECTION_OF.values()}:
        return None, text.upper()
    return industries.parse_division(text), None


class OfferFilterForm(FilterForm):
    side = forms.ChoiceField(label=_("Offers or needs"), required=False, choices=[("", _("Both"))] + OfferSide.choices)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + OfferKind.choices)
    industry = forms.CharField(label=_("Industry"), required=False, max_length=200, widget=IndustryInput)
    country = forms.ChoiceField(label=_("Country or region"), required=False, choices=_country_choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses"))] + OfferStatus.choices
    )
    mine = forms.BooleanField(label=_("Posted by my side"), required=False)

    def industry_filter(self) -> tuple[str | None, str | None]:
        return _industry_filter(self.value("industry"))


class PublicFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + OfferKind.choices)


class ProfileFilterForm(FilterForm):
    industry = forms.CharField(label=_("Industry"), required=False, max_length=200, widget=IndustryInput)
    country = forms.ChoiceField(label=_("Country or region"), required=False, choices=_country_choices)
    listed = forms.BooleanField(label=_("Listed in the directory only"), required=False)

    def industry_filter(self) -> tuple[str | None, str | None]:
        return _industry_filter(self.value("industry"))


class ProfileForm(forms.ModelForm):
    division = IndustryField(required=False)

    class Meta:
        model = TradeProfile
        fields = PROFILE_FIELDS
        widgets = {"products": forms.Textarea(attrs={"rows": 4})}


class ProfileCreateForm(ProfileForm):
    pass


class ProfileEditForm(VersionedFormMixin, ProfileForm):
    pass
