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

    def __init__(self, *args, priority_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.priority_choices = priority_choices
        self.extra_init_kwargs = ("priority_choices",)
        self.fields["priorities"].queryset = priority_choices
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
