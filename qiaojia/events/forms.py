from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.forms import CreateFormMixin, DateInput, FastSelect, FilterForm, VersionedFormMixin
from qiaojia.core.masking import mask_phone

from .models import Delegate, DelegateRole, Delegation, EventStatus, FlagshipEvent


class EventForm(forms.ModelForm):
    class Meta:
        model = FlagshipEvent
        fields = [
            "name",
            "slug",
            "starts_on",
            "ends_on",
            "place",
            "description",
            "registration_opens",
            "registration_closes",
            "default_quota",
            "capacity",
            "published",
            "members_may_ask",
            "members_ask_until",
        ]
        widgets = {
            "members_ask_until": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "registration_opens": DateInput(),
            "registration_closes": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "slug": _(
                "Leave empty to have it made from the name in pinyin, e.g. huang-di-gu-li-bai-zu-da-dian-2025; "
                "or write your own: letters, digits and hyphens."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The event cannot end before it starts."))
        if (
            data.get("registration_opens")
            and data.get("registration_closes")
            and data["registration_closes"] < data["registration_opens"]
        ):
            self.add_error("registration_closes", _("Registration cannot close before it opens."))
        if data.get("members_may_ask") and not data.get("members_ask_until"):
            self.add_error("members_ask_until", _("Say until when members may ask to join."))
        return data


class EventCreateForm(CreateFormMixin, EventForm):
    pass


class EventEditForm(VersionedFormMixin, EventForm):
    pass


class EventFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses"))] + EventStatus.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)


class StatusForm(VersionedFormMixin):
    status = forms.ChoiceField(choices=EventStatus.choices)


class VersionForm(VersionedFormMixin):
    pass


class QuotaForm(VersionedFormMixin):
    """One number per association; empty means the event's default."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.extra_init_kwargs = ("rows",)
        for association, quota in rows:
            self.fields[f"quota_{association.pk}"] = forms.IntegerField(
                label=association.name,
                required=False,
                min_value=0,
                max_value=999,
                initial=quota,
                widget=forms.NumberInput(attrs={"class": "narrow"}),
            )

    def quotas(self) -> dict[int, int | None]:
        return {a.pk: self.cleaned_data.get(f"quota_{a.pk}") for a, _quota in self.rows}


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["leader_name", "contact_phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "leader_name": _("Matched to the association's members; the leader gets a badge too."),
            "contact_phone": _("With the country code for a number outside mainland China."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader_name"].required = True


class DelegationCreateForm(CreateFormMixin, DelegationForm):
    association = forms.ChoiceField(label=_("Association"))

    field_order = ["association", "leader_name", "contact_phone", "note"]

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = associations
        self.extra_init_kwargs = ("associations",)
        self.fields["association"].choices = [(str(a.pk), a.name) for a in associations]

    def clean_association(self):
        value = self.cleaned_data["association"]
        return next(a for a in self.associations if str(a.pk) == value)


class DelegationEditForm(VersionedFormMixin, DelegationForm):
    """The phone is shown masked; left as shown, the number on record is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.contact_phone:
            self.initial["contact_phone"] = mask_phone(self.instance.contact_phone)

    def clean_contact_phone(self):
        value = (self.cleaned_data.get("contact_phone") or "").strip()
        if value and self.instance.contact_phone and value == mask_phone(self.instance.contact_phone):
            return self.instance.contact_phone
        return value


class ReviewForm(VersionedFormMixin):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("waitlist", "waitlist"), ("refuse", "refuse")])
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class JoinAskForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("join request", "Message to the officers"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("Optional")}),
    )


class JoinDecideForm(VersionedFormMixin):
    decision = forms.ChoiceField(choices=[("confirm", "confirm"), ("decline", "decline")])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class DelegateForm(forms.ModelForm):
    class Meta:
        model = Delegate
        fields = ["name", "role", "country", "organisation", "title"]
        widgets = {"country": FastSelect(cache_key="countries")}
        help_texts = {
            "name": _("As registered; matched to the association's members."),
            "country": _("Required for an overseas guest."),
        }

    def __init__(self, *args, leader: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.leader = leader
        self.extra_init_kwargs = ("leader",)
        if leader:
            del self.fields["name"]
            del self.fields["role"]
        else:
            self.fields["role"].choices = [(c, label) for c, label in DelegateRole.choices if c != DelegateRole.LEADER]

    def clean(self):
        data = super().clean()
        if data.get("role") == DelegateRole.OVERSEAS_GUEST and not data.get("country"):
            self.add_error("country", _("Choose the country or region the overseas guest comes from."))
        return data

    def validate_unique(self):
        pass

    def _post_clean(self):
        # The service builds and checks the row; the form checks only the shape of the input.
        pass


class DelegateCreateForm(CreateFormMixin, DelegateForm):
    pass


class DelegateEditForm(VersionedFormMixin, DelegateForm):
    pass


class DoorForm(forms.Form):
    code = forms.CharField(
        label=_("Badge code or check-in link"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )

    def token(self) -> str:
        value = self.cleaned_data["code"].strip().rstrip("/")
        return value.rsplit("/", 1)[-1]
