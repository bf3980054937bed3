from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import FIELDS


class UploadForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=None)
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_("One row per person or enterprise, the column names in the first row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations
        if associations.count() == 1:
            self.fields["association"].initial = associations.first()


class MappingForm(forms.Form):
    """One choice per column of the file: which field it holds, or none."""

    consent = forms.BooleanField(
        label=_("The people in this file have consented to the platform keeping their ID numbers"), required=False
    )

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [(k, v) for k, v in FIELDS.items()]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("Column %(n)s") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=mapping.get(str(index), ""),
            )
        self.order_fields([f"col_{i}" for i in range(len(headers))] + ["consent"])

    def mapping(self) -> dict[str, str]:
        return {
            str(i): self.cleaned_data[f"col_{i}"] for i in range(len(self.headers)) if self.cleaned_data.get(f"col_{i}")
        }
