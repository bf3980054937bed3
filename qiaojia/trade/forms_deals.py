from django import forms
from django.utils.translation import gettext_lazy as _

from qiaojia.core.forms import CreateFormMixin, DateInput, FilterForm, VersionedFormMixin

from .models_deals import (
    CURRENCIES,
    INTRODUCTION_TRANSITIONS,
    PROJECT_TRANSITIONS,
    CurrencyRate,
    IntroductionStage,
    ProjectKind,
    ProjectStage,
    SignedProject,
)


def _option_label(option) -> str:
    return f"{option.association.name} · {option.enterprise.name}" if option.enterprise else option.association.name


class InterestForm(CreateFormMixin):
    posting = forms.ChoiceField(label=_("On behalf of"))
    message = forms.CharField(
        label=_("Message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What interests you and what you propose. Your contact details are shown only if they accept."),
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.extra_init_kwargs = ("options",)
        self.fields["posting"].choices = [(o.key, _option_label(o)) for o in options]

    def clean_posting(self):
        value = self.cleaned_data["posting"]
        return next(o for o in self.options if o.key == value)


class BrokerForm(CreateFormMixin):
    other = forms.ChoiceField(label=_("Introduce to the poster of"))
    message = forms.CharField(
        label=_("Why the two sides should meet"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.extra_init_kwargs = ("candidates",)
        self.fields["other"].choices = [(str(o.pk), f"{o.title} · {o.association.name}") for o in candidates]

    def clean_other(self):
        value = self.cleaned_data["other"]
        return next(o for o in self.candidates if str(o.pk) == value)


class AnswerForm(VersionedFormMixin):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")], widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class IntroductionMoveForm(VersionedFormMixin):
    stage = forms.ChoiceField(label=_("Move to"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.extra_init_kwargs = ("current",)
        labels = dict(IntroductionStage.choices)
        self.fields["stage"].choices = [("", _("Stay at this stage"))] + [
            (s, labels[s]) for s in INTRODUCTION_TRANSITIONS[current]
        ]


class ProjectFollowUpForm(VersionedFormMixin):
    stage = forms.ChoiceField(label=_("Move to"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.extra_init_kwargs = ("current",)
        labels = dict(ProjectStage.choices)
        self.fields["stage"].choices = [("", _("Stay at this stage"))] + [
            (s, labels[s]) for s in PROJECT_TRANSITIONS[current]
        ]


class ProjectForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES], initial="CNY")

    class Meta:
        model = SignedProject
        fields = ["title", "parties", "kind", "amount", "currency", "city", "country", "signed_on", "event"]
        widgets = {"parties": forms.Textarea(attrs={"rows": 3}), "signed_on": DateInput()}

    def clean(self):
        data = super().clean()
        if bool(data.get("city")) == bool(data.get("country")):
            self.add_error("city", _("Give either a city in Henan or a country abroad."))
        return data


class ProjectCreateForm(CreateFormMixin, ProjectForm):
    association = forms.ChoiceField(label=_("Association"))
    field_order = ["association", "title"]

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = associations
        self.extra_init_kwargs = ("associations",)
        self.fields["association"].choices = [(str(a.pk), a.name) for a in associations]

    def clean_association(self):
        value = self.cleaned_data["association"]
        return next(a for a in self.associations if str(a.pk) == value)


class ProjectEditForm(VersionedFormMixin, ProjectForm):
    pass


class RateForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES if c != "CNY"])

    class Meta:
        model = CurrencyRate
        fields = ["currency", "rate", "effective_from"]
        widgets = {"effective_from": DateInput()}


class DigestForm(forms.Form):
    weekly = forms.BooleanField(label=_("Send me a weekly digest of new matches"), required=False)


class IntroductionFilterForm(FilterForm):
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages"))] + IntroductionStage.choices
    )


class ProjectFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + ProjectKind.choices)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages"))] + ProjectStage.choices)
    year = forms.IntegerField(label=_("Year signed"), required=False, min_value=2000, max_value=2100)
