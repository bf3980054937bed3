"""Administrators manage accounts: roles, departments, the associations an officer serves."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from qiaojia.core.pages import form_page, paginate

from . import permissions, services
from .decorators import recent_second_factor
from .models import User
from .user_forms import UserCreateForm, UserEditForm, UserFilterForm


def _require_admin(user) -> None:
    if not permissions.can_manage_accounts(user):
        raise Http404


def _crumbs():
    return [(reverse("accounts:user-list"), _("Accounts"))]


@login_required
def user_list(request):
    _require_admin(request.user)
    filters = UserFilterForm(request.GET or None)
    qs = (
        User.objects.select_related("department")
        .prefetch_related("associations")
        .annotate(has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    )
    if filters.value("q"):
        q = filters.value("q")
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q))
    if filters.value("role"):
        qs = qs.filter(role=filters.value("role"))
    return render(
        request, "accounts/user_list.html", {"page": paginate(request, qs.order_by("username")), "filters": filters}
    )


@sensitive_post_parameters("password")
@login_required
@recent_second_factor
@require_http_methods(["GET", "POST"])
def user_create(request):
    _require_admin(request.user)
    form = UserCreateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New account"),
        breadcrumb=_crumbs(),
        save=lambda d: services.user_create(
            username=d["username"],
            password=d["password"],
            role=d["role"],
            first_name=d["first_name"],
            email=d["email"],
            department=d["department"],
            associations=list(d["associations"]),
            form_token=d["form_token"],
        ),
        success_url=lambda obj: reverse("accounts:user-list"),
    )


@login_required
@recent_second_factor
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    _require_admin(request.user)
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404
    form = UserEditForm(
        request.POST or None, instance=account, initial={"version": account.version, "is_active": account.is_active}
    )
    return form_page(
        request,
        form=form,
        title=_("Edit account"),
        breadcrumb=_crumbs(),
        current=account,
        save=lambda d: services.user_update(
            user=account,
            expected_version=d["version"],
            role=d["role"],
            first_name=d["first_name"],
            email=d["email"],
            department=d["department"],
            associations=list(d["associations"]),
            is_active=d["is_active"],
        ),
        success_url=lambda obj: reverse("accounts:user-list"),
    )
