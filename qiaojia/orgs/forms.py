from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qiaojia.core.forms import CreateFormMixin, DateInput, FilterForm, VersionedFormMixin
from qiaojia.core.validators import normalize_credit_code, validate_credit_code
from qiaojia.members.models import Person
from qiaojia.members.picker import OnePersonPickerField

from .models import (
    Association,
    AssociationKind,
    AssociationStatus,
    Department,
    Federation,
    Liaison,
    Partner,
    PartnerKind,
    PartyBranch,
    Term,
)


class AssociationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Association
        fields = [
            "name",
            "name_en",
            "short_name",
            "kind",
            "credit_code",
            "founded_on",
            "supervising_department",
            "status",
            "address",
            "website",
            "description",
        ]
        widgets = {"founded_on": DateInput(), "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, can_set_status: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_set_status = can_set_status
        self.extra_init_kwargs = ("can_set_status",)
        if not can_set_status:
            # Registration facts are the federation's to change; an officer keeps the profile.
            for name in ("status", "supervising_department", "credit_code", "kind", "name"):
                self.fields[name].disabled = True
        self.fields["supervising_department"].queryset = Department.objects.order_by("order", "id")

    def clean_credit_code(self):
        code = normalize_credit_code(self.cleaned_data.get("credit_code") or "")
        if code:
            validate_credit_code(code)
        return code or None

    def validate_unique(self):
        # The service validates uniqueness inside its transaction.
        pass


class AssociationCreateForm(CreateFormMixin, AssociationForm):
    pass


class AssociationEditForm(VersionedFormMixin, AssociationForm):
    pass


class AssociationFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + AssociationKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses"))] + AssociationStatus.choices
    )
    department = forms.ModelChoiceField(
        label=_("Supervising department"),
        required=False,
        queryset=Department.objects.order_by("order", "id"),
        empty_label=_("All departments"),
    )


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["person", "title", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        field_classes = {"person": OnePersonPickerField}

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.extra_init_kwargs = ("association",)
        self.fields["person"].limit_to(association.pk)
        # An officer is someone in the association: a current member or a current office-holder.
        self.fields["person"].queryset = (
            Person.objects.filter(
                Q(memberships__association=association, memberships__left_on__isnull=True)
                | Q(terms__association=association)
            )
            .distinct()
            .order_by("name_pinyin")
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The term cannot end before it starts."))
        return data


class TermCreateForm(CreateFormMixin, TermForm):
    pass


class TermEditForm(VersionedFormMixin, TermForm):
    pass


class PartyBranchForm(forms.ModelForm):
    class Meta:
        model = PartyBranch
        fields = ["name", "secretary", "founded_on", "party_member_count"]
        widgets = {"founded_on": DateInput()}
        field_classes = {"secretary": OnePersonPickerField}

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.extra_init_kwargs = ("association",)
        self.fields["secretary"].limit_to(association.pk)
        self.fields["secretary"].queryset = (
            Person.objects.filter(memberships__association=association).distinct().order_by("name_pinyin")
        )

    def validate_unique(self):
        pass


class PartyBranchCreateForm(CreateFormMixin, PartyBranchForm):
    pass


class PartyBranchEditForm(VersionedFormMixin, PartyBranchForm):
    pass


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "country", "contact", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class PartnerCreateForm(CreateFormMixin, PartnerForm):
    association = forms.ModelChoiceField(label=_("Association"), queryset=Association.objects.none())

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = associations
        self.extra_init_kwargs = ("associations",)
        self.fields["association"].queryset = associations if associations is not None else Association.objects.none()


class PartnerEditForm(VersionedFormMixin, PartnerForm):
    pass


class PartnerFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + PartnerKind.choices)


class LiaisonForm(CreateFormMixin, forms.ModelForm):
    class Meta:
        model = Liaison
        fields = ["happened_on", "summary"]
        widgets = {"happened_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "name_en", "supervises_associations", "order"]
        labels = {"order": _("Display order")}


class DepartmentCreateForm(CreateFormMixin, DepartmentForm):
    pass


class DepartmentEditForm(VersionedFormMixin, DepartmentForm):
    pass


class FederationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Federation
        fields = ["name", "name_en", "short_name"]
