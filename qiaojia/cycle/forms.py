from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.forms import CreateFormMixin, DateInput, FilterForm, ModelMultipleChoiceField, VersionedFormMixin

from .models import YEAR_VALIDATORS, AnnualReport, PlanItem, PlanItemStatus, ReportStatus
from .services import REPORT_FIELDS


class PrioritiesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=pgettext_lazy("compilation", "Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    items = forms.CharField(
        label=_("Numbered items"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One item per line, e.g. “1. 搭建經貿合作交流平臺”."),
    )
    document = forms.FileField(label=_("Document (PDF)"), required=False)


class PrioritiesCreateForm(CreateFormMixin, PrioritiesForm):
    year = forms.IntegerField(label=_("Year"), validators=YEAR_VALIDATORS)
    field_order = ["year", "title", "introduction", "items", "document"]


class PrioritiesEditForm(VersionedFormMixin, PrioritiesForm):
    pass


class VersionForm(VersionedFormMixin):
    """The version the reviewer or officer saw, for a workflow step."""


class ReturnForm(VersionedFormMixin):
    reason = forms.CharField(
        label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


class ReportForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = list(REPORT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "work_summary",
                "leader_changes",
                "activities",
                "awards",
                "social_responsibility",
                "financial_notes",
                "party_activities",
                "plan_summary",
            )
        }
        # What the statutory form asks for under each heading (DOMAIN-RULES: the annual report's contents and
        # counting rules), shown under each field.
        help_texts = {
            "work_summary": _("What the association did in the year, in a few paragraphs: the compilation prints it."),
            "unit_members": _("Enterprises and other organisations that are members at the end of the year."),
            "individual_members": _(
                "People who are members at the end of the year. Unit and individual members add up to the total."
            ),
            "leader_count": _(
                "President, vice-presidents and secretary-general only: not honorary posts, advisers, directors "
                "or deputy secretaries-general."
            ),
            "leader_changes": _("Who joined or left the leadership, the board of directors and the staff, and when."),
            "activity_count": _("Forums, lectures, annual meetings, seminars and other activities held in the year."),
            "activities": _("The main activities, each with its date and what came of it."),
            "donations_domestic": _("In yuan, money and goods at their value, received from donors in China."),
            "donations_foreign": _("In yuan, money and goods at their value, received from donors abroad."),
            "award_count": _("Honours the association received in the year."),
            "social_responsibility": _("Charity, volunteer service and help given to the community."),
            "income": _("In yuan, as in the year's financial statements: attach them below."),
            "expenditure": _("In yuan, as in the year's financial statements."),
            "net_assets": _("In yuan, on 31 December; negative if liabilities exceed assets."),
            "financial_notes": _("Where the money came from and what it was spent on."),
            "party_members": _("Party members among the association's staff and members."),
            "party_organisation": _("The party branch or the organisation the association's party members belong to."),
            "party_activities": _("Study sessions and other party-building work in the year."),
            "plan_summary": _("The plan's aims for the new year; its items are listed below the form."),
        }

    def validate_unique(self):
        # The service validates inside its transaction.
        pass


class AttachForm(VersionedFormMixin):
    file = forms.FileField(label=_("File (PDF or image)"))


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["title", "description", "priorities", "owner", "target", "due_on"]
        widgets = {
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "priorities": forms.CheckboxSelectMultiple,
        }
        field_classes = {"priorities": ModelMultipleChoiceField}

    def __init__(self, *args, priority_choices=None, plan_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.priority_choices, self.plan_year = priority_choices, plan_year
        self.extra_init_kwargs = ("priority_choices", "plan_year")
        self.fields["priorities"].queryset = priority_choices
        if priority_choices is not None and not priority_choices.exists():
            # An empty list of boxes says nothing: say why, and what to do meanwhile.
            self.fields["priorities"].help_text = _(
                "The federation has not published its work priorities for %(year)s yet, so there is nothing to "
                "choose here. Save the item without them; once they are published, edit the item to tie it to them."
            ) % {"year": plan_year}
        else:
            self.fields["priorities"].help_text = _("The work priorities of the plan's year this item serves.")

    def validate_unique(self):
        pass

    def _save_m2m(self):
        pass


class PlanItemCreateForm(CreateFormMixin, PlanItemForm):
    pass


class PlanItemEditForm(VersionedFormMixin, PlanItemForm):
    pass


class OutcomeForm(VersionedFormMixin):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


PROGRESS_STATUSES = [(v, label) for v, label in PlanItemStatus.choices if v != PlanItemStatus.CARRIED_OVER]


class ProgressForm(forms.Form):
    note = forms.CharField(
        label=_("What happened"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "send"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=PROGRESS_STATUSES, widget=forms.RadioSelect)
    percent = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 10}),
    )
    file = forms.FileField(
        label=_("Photo or file (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )


class CompileForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the reports"), validators=YEAR_VALIDATORS)
    script = forms.ChoiceField(
        label=_("Script"), choices=[("zh-hans", _("Simplified Chinese")), ("zh-hant", _("Traditional Chinese"))]
    )
    fmt = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("docx", _("Word (.docx)"))])


DASHBOARD_STATE_CHOICES = [
    ("", _("All")),
    ("missing", _("Not handed in")),
    ("late", _("Late")),
    (ReportStatus.DRAFT, _("Draft")),
    (ReportStatus.SUBMITTED, _("Submitted")),
    (ReportStatus.RETURNED, _("Returned for revision")),
    (ReportStatus.ACCEPTED, _("Accepted (first review)")),
    (ReportStatus.FILED, _("Filed")),
]


class DashboardFilterForm(FilterForm):
    year = forms.IntegerField(label=_("Year"), required=False, validators=YEAR_VALIDATORS)
    state = forms.ChoiceField(label=_("State"), required=False, choices=DASHBOARD_STATE_CHOICES)


class ReportFilterForm(FilterForm):
    year = forms.IntegerField(label=_("Year"), required=False, validators=YEAR_VALIDATORS)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses"))] + ReportStatus.choices
    )


def default_report_year() -> int:
    return timezone.localdate().year - 1
