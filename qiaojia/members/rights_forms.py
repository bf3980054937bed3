"""Forms of the data subject's rights pages (see `rights`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qiaojia.core.forms import VersionedFormMixin

from .rights import ErasureReason


class PersonalDataRequestForm(forms.Form):
    """Staff make a copy only on the person's request, and say how it came."""

    on_request = forms.CharField(
        label=_("How the person asked"),
        max_length=200,
        required=False,
        help_text=_(
            "For example: letter received on 3 May, or in person at the front desk. Recorded in the audit trail."
        ),
    )

    def __init__(self, *args, request_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if request_required:
            self.fields["on_request"].required = True
        else:
            del self.fields["on_request"]


class ConsentWithdrawForm(VersionedFormMixin):
    note = forms.CharField(
        label=_("How the withdrawal was received"),
        max_length=200,
        required=False,
        help_text=_("Optional, for example: by telephone on 3 May. Do not write an ID number."),
    )
    confirm = forms.BooleanField(label=_("I understand that the ID number on record is deleted now"))

    def __init__(self, *args, own: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if own:
            del self.fields["note"]  # the person withdrawing themselves: the platform is how it was received


class PersonEraseForm(VersionedFormMixin):
    reason = forms.ChoiceField(label=_("Why is the person erased?"), choices=ErasureReason.choices)
    record_number = forms.CharField(
        label=_("Type the record number to confirm"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["record_number"].help_text = _("The record number is %(number)s.") % {"number": person.pk}

    def clean_record_number(self):
        number = self.cleaned_data["record_number"].strip().lstrip("#")
        if number != str(self.person.pk):
            raise forms.ValidationError(_("This is not the number of this record."))
        return number
