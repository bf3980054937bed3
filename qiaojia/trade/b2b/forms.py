from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qiaojia.core.forms import DateInput, VersionedFormMixin

from .models import MeetingOutcome, MeetingStatus
from .services import MAX_SLOTS, MAX_TABLES


class SessionOpenForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput)
    first_starts = forms.TimeField(label=_("First slot starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("Minutes per slot"), min_value=5, max_value=240, initial=20)
    slot_count = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=MAX_SLOTS, initial=12)
    table_count = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=MAX_TABLES, initial=10)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class JoinForm(forms.Form):
    """An enterprise the viewer may register, and what it offers and seeks at the event."""

    enterprise = forms.TypedChoiceField(label=_("Enterprise"), coerce=int)
    offers_text = forms.CharField(label=pgettext_lazy("b2b", "What we offer"), widget=forms.Textarea, required=False)
    seeks_text = forms.CharField(label=pgettext_lazy("b2b", "What we seek"), widget=forms.Textarea, required=False)
    offers = forms.TypedMultipleChoiceField(
        label=_("Our published offers and needs"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, enterprises, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(e.pk, e.name) for e, _a in enterprises]
        self.fields["offers"].choices = [(o.pk, o.title) for o in offers]


class RequestForm(forms.Form):
    """Ask another participant for a meeting in a slot, on behalf of one of the viewer's participants."""

    requester = forms.TypedChoiceField(label=pgettext_lazy("b2b", "On behalf of"), coerce=int)
    invitee = forms.TypedChoiceField(label=pgettext_lazy("b2b", "Meet"), coerce=int)
    slot = forms.TypedChoiceField(label=_("Time slot"), coerce=int)
    message = forms.CharField(label=pgettext_lazy("b2b", "Message"), max_length=300, required=False)

    def __init__(self, *args, own, others, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].choices = [(p.pk, p.enterprise.name) for p in own]
        self.fields["invitee"].choices = [(p.pk, p.enterprise.name) for p in others]
        self.fields["slot"].choices = [(s.pk, s.label) for s in slots]


class AnswerForm(VersionedFormMixin):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])


class CancelForm(VersionedFormMixin):
    pass


class RecordForm(VersionedFormMixin):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(MeetingStatus.HELD, MeetingStatus.HELD.label), (MeetingStatus.NO_SHOW, MeetingStatus.NO_SHOW.label)],
    )
    outcome = forms.ChoiceField(label=pgettext_lazy("b2b", "Outcome"), choices=MeetingOutcome.choices, required=False)
    outcome_note = forms.CharField(label=pgettext_lazy("b2b", "What came of it"), max_length=500, required=False)
