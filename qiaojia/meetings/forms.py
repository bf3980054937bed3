import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from qiaojia.core.forms import (
    CreateFormMixin,
    DateInput,
    FilterForm,
    ModelChoiceField,
    ModelMultipleChoiceField,
    PhotoField,
    VersionedFormMixin,
)
from qiaojia.members.picker import PersonPickerField
from qiaojia.orgs.models import Association, FederationOfficial

from .models import (
    AgendaItem,
    AgendaItemKind,
    FollowUpTask,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantRole,
    Resolution,
    TaskStatus,
)

FEDERATION_ORGANISER = "federation"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


class MeetingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=DateTimeInput(),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    class Meta:
        model = Meeting
        fields = ["title", "kind", "starts_at", "ends_at", "place", "description", "sign_in_by_code"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The meeting cannot end before it starts."))
        return data


class MeetingCreateForm(CreateFormMixin, MeetingForm):
    organiser = forms.ChoiceField(label=_("Organiser"))

    field_order = ["organiser", "title", "kind", "starts_at", "ends_at", "place", "description", "sign_in_by_code"]

    def __init__(self, *args, associations, federation_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = associations
        self.federation_allowed = federation_allowed
        self.extra_init_kwargs = ("associations", "federation_allowed")
        choices = [(FEDERATION_ORGANISER, _("The federation"))] if federation_allowed else []
        choices += [(str(a.pk), a.name) for a in associations]
        self.fields["organiser"].choices = choices

    def clean_organiser(self):
        value = self.cleaned_data["organiser"]
        if value == FEDERATION_ORGANISER:
            return None
        return next(a for a in self.associations if str(a.pk) == value)


class MeetingEditForm(VersionedFormMixin, MeetingForm):
    pass


class MeetingFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + MeetingKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses"))] + MeetingStatus.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)


class StatusForm(VersionedFormMixin):
    status = forms.ChoiceField(choices=MeetingStatus.choices)


class VersionForm(VersionedFormMixin):
    pass


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.get_role_display()}"


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "document", "association", "presenter", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 6})}
        field_classes = {"presenter": ParticipantChoiceField}
        help_texts = {
            "document": _("For a group study: the document studied, e.g. 《省僑聯2025年工作要點》."),
            "association": _("For a report: the association that reports."),
        }

    def __init__(self, *args, meeting: Meeting, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.associations = associations
        self.extra_init_kwargs = ("meeting", "associations")
        self.fields["presenter"].queryset = Participant.objects.filter(meeting=meeting).order_by("order", "id")
        self.fields["association"].queryset = associations
        self.fields["kind"].choices = AgendaItemKind.choices

    def clean(self):
        data = super().clean()
        if data.get("kind") == AgendaItemKind.STUDY and not (data.get("document") or "").strip():
            self.add_error("document", _("Name the document studied."))
        return data


class AgendaItemCreateForm(CreateFormMixin, AgendaItemForm):
    pass


class AgendaItemEditForm(VersionedFormMixin, AgendaItemForm):
    pass


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name} · {obj.person.public_title or obj.get_title_display()}"


class ParticipantForm(forms.ModelForm):
    official = OfficialChoiceField(
        label=_("Federation official"), required=False, queryset=FederationOfficial.objects.none()
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=50,
        required=False,
        help_text=_(
            "Leave empty when you choose a federation official. With an association, "
            "the name is matched to its officers and members."
        ),
    )

    class Meta:
        model = Participant
        fields = ["role", "official", "name", "association", "public_title"]

    def __init__(self, *args, meeting: Meeting, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.associations = associations
        self.extra_init_kwargs = ("meeting", "associations")
        self.fields["official"].queryset = (
            FederationOfficial.objects.filter(federation_id=meeting.federation_id)
            .select_related("person")
            .order_by("order", "id")
        )
        self.fields["association"].queryset = associations

    def clean(self):
        data = super().clean()
        if not data.get("official") and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose a federation official or type the participant's name."))
        if data.get("role") == "on_behalf" and not data.get("association"):
            self.add_error("association", _("Choose the association this participant represents."))
        return data

    def validate_unique(self):
        pass


class ParticipantCreateForm(CreateFormMixin, ParticipantForm):
    pass


class ParticipantEditForm(VersionedFormMixin, ParticipantForm):
    pass


class MinutesForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 14})}


class ResolutionForm(forms.ModelForm):
    class Meta:
        model = Resolution
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ResolutionCreateForm(CreateFormMixin, ResolutionForm):
    pass


class ResolutionEditForm(VersionedFormMixin, ResolutionForm):
    pass


class ResolutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.text[:60]


class TaskForm(forms.ModelForm):
    class Meta:
        model = FollowUpTask
        fields = ["title", "resolution", "owner_association", "owner_name", "due_on", "status", "note"]
        widgets = {"due_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"resolution": ResolutionChoiceField}

    def __init__(self, *args, meeting: Meeting, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.associations = associations
        self.extra_init_kwargs = ("meeting", "associations")
        self.fields["resolution"].queryset = Resolution.objects.filter(meeting=meeting).order_by("order", "id")
        self.fields["owner_association"].queryset = associations
        self.fields["status"].choices = TaskStatus.choices

    def clean(self):
        data = super().clean()
        if not data.get("owner_association") and not (data.get("owner_name") or "").strip():
            self.add_error("owner_name", _("Name who is responsible: an association, a person, or both."))
        return data


class TaskCreateForm(CreateFormMixin, TaskForm):
    pass


class TaskEditForm(VersionedFormMixin, TaskForm):
    pass


class PhotoForm(CreateFormMixin, forms.Form):
    image = PhotoField()
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class SignInForm(forms.Form):
    """The name and, as the meeting asks, the last four digits of the phone or the personal code."""

    name = forms.CharField(
        label=_("Your name"), max_length=50, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone_last4 = forms.CharField(
        label=_("Last four digits of your phone number"),
        max_length=4,
        min_length=4,
        required=False,
        help_text=_("Asked when the organisers have your phone number on record."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label=_("Your sign-in code"),
        max_length=12,
        required=False,
        help_text=_("The personal code in your invitation, or ask the staff at the desk."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, by_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["phone_last4" if by_code else "code"]

    def clean_phone_last4(self):
        # Full-width digits from a Chinese input method count as the digits they are.
        value = unicodedata.normalize("NFKC", self.cleaned_data.get("phone_last4") or "")
        if value and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("Type four digits."))
        return value

    def clean_code(self):
        return unicodedata.normalize("NFKC", self.cleaned_data.get("code") or "").upper()

    def secret(self) -> str:
        return self.cleaned_data.get("code") or self.cleaned_data.get("phone_last4") or ""


def association_queryset(associations):
    return associations if associations is not None else Association.objects.none()


class ParticipantBulkForm(CreateFormMixin):
    """Several participants in one step: all officers of an association, people chosen with the member
    picker, and a list pasted from a spreadsheet (checked in a preview before anything is added)."""

    role = forms.ChoiceField(label=_("Role of everyone added"), choices=ParticipantRole.choices, initial="attends")
    officers_of = forms.ModelChoiceField(
        label=_("All officers of an association"),
        required=False,
        queryset=Association.objects.none(),
        help_text=_("Everyone who holds a term of office in it today, on behalf of that association."),
    )
    people = PersonPickerField(
        label=_("Members"),
        required=False,
        help_text=_("Type a name in either script, in pinyin or by its initials, and tick each person to add."),
    )
    pasted = forms.CharField(
        label=_("A list pasted from a spreadsheet"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "One person a line: the name, the mobile number, or both (copy the two columns from Excel). "
            "You see whom each line matches before anything is added."
        ),
    )
    association = forms.ModelChoiceField(
        label=_("On behalf of association"),
        required=False,
        queryset=Association.objects.none(),
        help_text=_("For the members and the pasted list; officers come on behalf of their own association."),
    )
    add_unmatched = forms.BooleanField(
        label=_("Also add the lines that match no one, by the name as typed"), required=False
    )

    def __init__(self, *args, meeting: Meeting, associations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting, self.associations, self.people_choices = meeting, associations, people
        self.extra_init_kwargs = ("meeting", "associations", "people")
        self.fields["officers_of"].queryset = associations
        self.fields["association"].queryset = associations
        self.fields["people"].queryset = people
        self.fields["people"].limit_to(meeting.association_id)
        if meeting.association_id:
            self.fields["association"].initial = meeting.association_id

    def clean(self):
        data = super().clean()
        if not (data.get("officers_of") or data.get("people") or (data.get("pasted") or "").strip()):
            raise forms.ValidationError(_("Choose an association's officers, pick members or paste a list."))
        if (
            data.get("role") == ParticipantRole.ON_BEHALF
            and not data.get("association")
            and (data.get("people") or (data.get("pasted") or "").strip())
        ):
            self.add_error("association", _("Choose the association these participants represent."))
        return data


class AgendaRowForm(forms.Form):
    """One line of the agenda, among several added at once; a line left empty is skipped."""

    kind = forms.ChoiceField(label=_("Type"), choices=[("", "—")] + AgendaItemKind.choices, required=False)
    title = forms.CharField(label=pgettext_lazy("agenda item", "Title"), max_length=200, required=False)
    document = forms.CharField(label=_("Document studied"), max_length=200, required=False)
    association = forms.ModelChoiceField(
        label=_("Reporting association"), required=False, queryset=Association.objects.none()
    )

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if associations is not None:
            self.fields["association"].queryset = associations

    def clean(self):
        data = super().clean()
        if not self.has_changed():
            return data
        if not data.get("kind"):
            self.add_error("kind", _("Choose the type of this item."))
        if not (data.get("title") or "").strip():
            self.add_error("title", _("Give this item a title."))
        if data.get("kind") == AgendaItemKind.STUDY and not (data.get("document") or "").strip():
            self.add_error("document", _("Name the document studied."))
        return data


AgendaRowFormSet = forms.formset_factory(AgendaRowForm, extra=6, max_num=30, absolute_max=30, validate_max=True)


# Joint meetings -----------------------------------------------------------------------------------

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class JointSeriesForm(CreateFormMixin):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    associations = ModelMultipleChoiceField(
        label=_("Member associations"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They host in turn, in this order; add others later at the end of the rotation."),
    )

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = associations
        self.extra_init_kwargs = ("associations",)
        self.fields["associations"].queryset = associations

    def clean_associations(self):
        chosen = list(self.cleaned_data["associations"])
        if len(chosen) < 2:
            raise forms.ValidationError(_("A joint meeting needs at least two associations."))
        return chosen


class JointMemberForm(forms.Form):
    association = ModelChoiceField(label=_("Association"), queryset=None)

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = associations
        self.extra_init_kwargs = ("associations",)
        self.fields["association"].queryset = associations


class JointMeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    country = CountryField(default="CN").formfield(label=_("Country or region"), initial="CN", required=False)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_country(self):
        return self.cleaned_data.get("country") or "CN"


class JointMeetingCreateForm(CreateFormMixin, JointMeetingForm):
    pass


class JointMeetingEditForm(VersionedFormMixin, JointMeetingForm):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class JointStatusForm(VersionedFormMixin):
    status = forms.ChoiceField(choices=MeetingStatus.choices)
