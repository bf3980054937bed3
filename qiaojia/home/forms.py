from django import forms
from django.utils.translation import gettext_lazy as _

from qiaojia.core.forms import DateInput, FilterForm
from qiaojia.core.models import AuditAction


class AuditFilterForm(FilterForm):
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[])
    object_type = forms.CharField(label=_("Record type"), required=False, max_length=100)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All"))] + AuditAction.choices
