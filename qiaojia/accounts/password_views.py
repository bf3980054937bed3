"""The owner's own password: changed knowing the old one, or reset through a link e-mailed to the account's
address (Django's views, with QiaoJia's forms, templates, audit and throttle)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from qiaojia.core import ratelimit
from qiaojia.core.middleware import client_ip

from .forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm


class PasswordChange(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)  # also keeps this session signed in under the new password
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordReset(auth_views.PasswordResetView):
    """One answer whether or not an account has the address: "if it has, a link is on its way". Requests are
    counted per address typed and per client address, so the form can neither flood a mailbox nor be used to
    probe addresses quickly."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        limits = settings.QIAOJIA_PASSWORD_RESET_LIMITS
        address = client_ip(self.request) or "unknown"
        if ratelimit.exceeded("accounts.password-reset.address", address, limits["address"]):
            form.add_error(None, _("Too many requests from your network. Wait an hour, then try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        ratelimit.record_failure("accounts.password-reset.address", address, limits["address"])
        email = form.cleaned_data["email"].strip().casefold()
        if ratelimit.record_failure("accounts.password-reset.email", email, limits["email"]) > limits["email"][0]:
            # The same page as when a link is sent: what happens to an address says nothing about it.
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
