from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from qiaojia.core.forms import (
    CreateFormMixin,
    DateInput,
    FastSelect,
    FilterForm,
    ModelChoiceField,
    ModelMultipleChoiceField,
    PhotoField,
    VersionedFormMixin,
)
from qiaojia.cycle.models import PlanItemStatus
from qiaojia.members.picker import PersonPickerField

from .models import ActivityKind

PHOTO_SLOTS = 4


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


PROGRESS_STATUSES = [
    ("", _("Keep each item's status (not started becomes in progress)")),
    (PlanItemStatus.IN_PROGRESS, PlanItemStatus.IN_PROGRESS.label),
    (PlanItemStatus.DONE, PlanItemStatus.DONE.label),
    (PlanItemStatus.DELAYED, PlanItemStatus.DELAYED.label),
]


class PlanItemChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.report.plan_year} · {obj.number}. {obj.title} ({obj.percent}%, {obj.get_status_display()})"


class PhotoSlotsMixin(forms.Form):
    """Up to PHOTO_SLOTS photos, each with its caption, in one submission."""

    def add_photo_slots(self, count: int = PHOTO_SLOTS) -> None:
        self.photo_slots = count
        for n in range(1, count + 1):
            field = PhotoField(label=_("Photo %(n)s") % {"n": n}, required=False)
            if n > 1:
                field.help_text = ""
            self.fields[f"photo_{n}"] = field
            self.fields[f"caption_{n}"] = forms.CharField(
                label=_("Caption of photo %(n)s") % {"n": n}, max_length=200, required=False
            )

    def clean(self):
        data = super().clean()
        for n in range(1, getattr(self, "photo_slots", 0) + 1):
            if (data.get(f"caption_{n}") or "").strip() and not data.get(f"photo_{n}"):
                self.add_error(f"photo_{n}", _("Choose the photo for this caption."))
        return data

    def photos(self) -> list[tuple]:
        data = self.cleaned_data
        return [
            (data[f"photo_{n}"], data.get(f"caption_{n}", ""))
            for n in range(1, self.photo_slots + 1)
            if data.get(f"photo_{n}")
        ]


class ActivityForm(PhotoSlotsMixin):
    title = forms.CharField(label=pgettext_lazy("activity", "Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    starts_on = forms.DateField(label=_("Date"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until (for an activity of several days)"), required=False, widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    city = forms.CharField(
        label=_("City"),
        max_length=50,
        required=False,
        help_text=_("For the shared calendar's filter, e.g. 鄭州 or Kuala Lumpur."),
    )
    country = CountryField(default="CN").formfield(
        label=_("Country or region"), initial="CN", required=False, widget=FastSelect(cache_key="activity-country")
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        required=False,
        queryset=None,
        widget=FastSelect(),
        help_text=_("For liaison with a partner: the organisation met."),
    )
    other_participants = forms.IntegerField(
        label=_("Other participants (count)"),
        min_value=0,
        initial=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    members = PersonPickerField(
        label=_("Members taking part"),
        required=False,
        help_text=_("Type a name in either script, in pinyin or by its initials, and tick each person to add."),
    )
    description = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.CharField(
        label=pgettext_lazy("activity", "Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label=_("May be published"),
        required=False,
        help_text=_("Shown to every association in the shared calendar, without who took part."),
    )
    plan_items = PlanItemChoiceField(
        label=_("Plan items this activity advances"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    progress_status = forms.ChoiceField(
        label=_("Status of the linked plan items"), required=False, choices=PROGRESS_STATUSES
    )
    progress_percent = forms.IntegerField(
        label=_("Progress of the linked plan items (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave empty to keep each item's percentage."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 10}),
    )

    registration_open = forms.BooleanField(
        label=_("Open to individual registration"),
        required=False,
        help_text=_("The association's members register themselves on their own page, until the closing time."),
    )
    registration_capacity = forms.IntegerField(
        label=_("Places for registration"),
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes at"), required=False, widget=DateTimeInput()
    )

    def __init__(self, *args, association, member_choices, partner_choices, plan_item_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.member_choices, self.partner_choices = member_choices, partner_choices
        self.plan_item_choices = plan_item_choices
        self.extra_init_kwargs = ("association", "member_choices", "partner_choices", "plan_item_choices")
        self.fields["members"].queryset = member_choices
        self.fields["members"].limit_to(association.pk)
        self.fields["partner"].queryset = partner_choices
        self.fields["plan_items"].queryset = plan_item_choices
        self.add_photo_slots()

    def fieldsets(self):
        slots = tuple(n for i in range(1, self.photo_slots + 1) for n in (f"photo_{i}", f"caption_{i}"))
        groups = [
            (
                _("The activity"),
                (
                    "title",
                    "kind",
                    "starts_on",
                    "ends_on",
                    "place",
                    "city",
                    "country",
                    "partner",
                    "description",
                    "outcome",
                    "is_public",
                ),
            ),
            (_("Who took part"), ("members", "other_participants")),
            (pgettext_lazy("activity", "Photos"), slots),
            (_("Progress of the plan"), ("plan_items", "progress_status", "progress_percent")),
            (
                _("Registration by members"),
                ("registration_open", "registration_capacity", "registration_closes_at"),
            ),
        ]
        return [(legend, [self[name] for name in names]) for legend, names in groups]

    def clean_country(self):
        # Left empty (or not sent by an older form): in China, where most activities are.
        return self.cleaned_data.get("country") or "CN"

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The activity cannot end before it starts."))
        if data.get("kind") == ActivityKind.PARTNER_LIAISON and not data.get("partner"):
            self.add_error("partner", _("Name the partner organisation met."))
        if data.get("registration_open"):
            if not data.get("registration_capacity"):
                self.add_error("registration_capacity", _("Say how many places are open for registration."))
            if not data.get("registration_closes_at"):
                self.add_error("registration_closes_at", _("Say when registration closes."))
        return data


class ActivityCreateForm(CreateFormMixin, ActivityForm):
    pass


class ActivityEditForm(VersionedFormMixin, ActivityForm):
    pass


class AssociationPickForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=None, widget=FastSelect())

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations


class PhotoForm(CreateFormMixin, PhotoSlotsMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_photo_slots()

    def clean(self):
        data = super().clean()
        if not self.errors and not self.photos():
            self.add_error("photo_1", _("Choose at least one photo."))
        return data


class VersionForm(VersionedFormMixin):
    pass


class ActivityFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + ActivityKind.choices)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    association = forms.ModelChoiceField(
        label=_("Association"), required=False, queryset=None, empty_label=_("All associations"), widget=FastSelect()
    )

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations

    def value(self, name: str):
        value = super().value(name)
        return value.pk if name == "association" and value is not None else value


class CoOrganiserForm(forms.Form):
    association = ModelChoiceField(label=_("Association"), queryset=None, widget=FastSelect())

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = associations
        self.extra_init_kwargs = ("associations",)
        self.fields["association"].queryset = associations


class CoOrganiserAnswerForm(VersionedFormMixin):
    status = forms.ChoiceField(choices=[(s, s) for s in ("confirmed", "declined")])


class AttendanceForm(VersionedFormMixin):
    """Who of the registered members came: the registrations ticked came, the others did not."""

    attended = ModelMultipleChoiceField(
        label=_("Came"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = registrations
