from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qiaojia.core.forms import CreateFormMixin, FilterForm, ModelMultipleChoiceField, VersionedFormMixin
from qiaojia.orgs.models import Association, Department

from .models import Role, User


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "email", "role", "department", "associations"]
        labels = {"first_name": _("Full name")}
        widgets = {"associations": forms.SelectMultiple(attrs={"size": 8})}
        field_classes = {"associations": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("order", "id")
        self.fields["associations"].queryset = Association.objects.order_by("name")
        self.fields["associations"].required = False

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.STAFF and not data.get("department"):
            self.add_error("department", _("Federation staff belong to a department."))
        if role == Role.OFFICER and not data.get("associations"):
            self.add_error("associations", _("An association officer serves at least one association."))
        if role != Role.OFFICER:
            data["associations"] = Association.objects.none()
        return data

    def validate_unique(self):
        pass


class UserCreateForm(CreateFormMixin, UserForm):
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$", help_text=_("Letters, digits and @ . + - _ only.")
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=password_validators_help_text_html(),
    )

    field_order = ["username", "password", "first_name", "email", "role", "department", "associations"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            try:
                validate_password(
                    data["password"], User(username=data.get("username", ""), first_name=data.get("first_name", ""))
                )
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class UserEditForm(VersionedFormMixin, UserForm):
    is_active = forms.BooleanField(label=_("Active (untick to deactivate and end all sessions)"), required=False)

    field_order = ["first_name", "email", "role", "department", "associations", "is_active"]


class UserFilterForm(FilterForm):
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles"))] + Role.choices)
