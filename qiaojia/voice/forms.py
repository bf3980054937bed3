from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.forms import CreateFormMixin, FilterForm, ModelChoiceField, VersionedFormMixin
from qiaojia.core.validators import normalize_phone
from qiaojia.orgs.models import Association, Department

from .models import Opinion, OpinionCategory, OpinionRating, OpinionStatus

TEXT_MAX = 5000


class OpinionForm(CreateFormMixin):
    """What every sender writes; the public form adds the sender's name and contact, and a trap field."""

    category = forms.ChoiceField(label=_("Category"), choices=OpinionCategory.choices)
    title = forms.CharField(label=_("Subject"), max_length=120)
    text = forms.CharField(
        label=_("Your opinion"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8, "maxlength": TEXT_MAX})
    )
    on_behalf_of = forms.CharField(
        label=pgettext_lazy("opinion", "On behalf of"),
        max_length=120,
        required=False,
        help_text=_("Leave empty when you write for yourself."),
    )
    file = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("A PDF or an image (JPEG or PNG), optional."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    anonymous = forms.BooleanField(
        label=_("Do not show my name and contact details to the association that handles it"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the federation and the handler use what I wrote and how to reach me to handle this opinion."
        ),
        required=True,
    )


class OfficerOpinionForm(OpinionForm):
    association = ModelChoiceField(label=_("For the association"), queryset=Association.objects.none())

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations if associations is not None else Association.objects.none()


class PublicOpinionForm(OpinionForm):
    name = forms.CharField(label=_("Your name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=120,
        required=False,
        help_text=_("We send your receipt code and tell you of the answer here."),
    )
    # A field people never see: a program that fills every box fills this one too.
    website = forms.CharField(required=False, label=_("Leave this empty"), max_length=200, widget=forms.HiddenInput)

    field_order = [
        "category",
        "title",
        "text",
        "name",
        "phone",
        "email",
        "on_behalf_of",
        "file",
        "anonymous",
        "consent",
    ]

    def clean_phone(self):
        # Stored in E.164 like every phone number in the project (UX.md); a number abroad needs its country code.
        phone = self.cleaned_data["phone"].strip()
        return normalize_phone(phone) if phone else ""

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(_("Give a phone number or an e-mail address, so the handler can reach you."))
        return data


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=20)


class RateForm(VersionedFormMixin):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"), choices=OpinionRating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(VersionedFormMixin):
    reason = forms.CharField(
        label=_("What is still unresolved"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(VersionedFormMixin):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(VersionedFormMixin):
    text = forms.CharField(label=_("Answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8}))


class RouteForm(VersionedFormMixin):
    department = ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    association = ModelChoiceField(
        label=_("Association"), queryset=Association.objects.order_by("name"), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if bool(data.get("department")) == bool(data.get("association")):
            raise forms.ValidationError(_("Choose either a department or an association to handle the opinion."))
        return data


class MergeForm(VersionedFormMixin):
    into = forms.CharField(label=_("Receipt code of the earlier opinion"), max_length=20)


class ConfirmVersionForm(VersionedFormMixin):
    pass


class OpinionFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *OpinionStatus.choices], required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *OpinionCategory.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    mine = forms.BooleanField(label=_("Handled by me"), required=False)


class RatesFilterForm(FilterForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), required=False, min_value=1, max_value=12)
    by = forms.ChoiceField(
        label=_("Per"),
        choices=[("handler", _("Handler")), ("association", _("Association it came through"))],
        required=False,
    )


__all__ = ["Opinion"]
