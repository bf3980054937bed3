import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from qiaojia.core import ratelimit
from qiaojia.core.qr import qr_svg_base64

from . import permissions, second_factor, services
from .forms import ReauthForm, SetupTokenForm, TokenForm
from .models import RecoveryCodeDevice


def _safe_next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    # A path on this site only: `redirect` would take a bare word for a URL name to reverse.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return target


def _with_next(url_name, target):
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


def _check_token(form, device) -> bool:
    """Verify the authenticator's code, or explain on the form why it was refused."""
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        # django-otp throttles after a wrong code; a right code typed during the wait would be
        # refused as "not valid" and each retry would double the wait.
        form.add_error("token", _("Too many wrong codes. Wait a minute, then enter the current code."))
        return False
    if device.verify_token(form.cleaned_data["token"].strip()):
        return True
    form.add_error("token", _("This code is not valid. Check the time on your phone and try again."))
    return False


def _is_totp_code(token: str) -> bool:
    return token.isdigit() and 6 <= len(token) <= 8


def _check_code(form, user):
    """The device that `form`'s code belongs to, the authenticator's (a six-digit code) or the recovery codes'
    (a recovery code, spent by this), or None with the reason on the form."""
    token = form.cleaned_data["token"].strip()
    if _is_totp_code(token):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            form.add_error("token", _("This code is not valid. Check the time on your phone and try again."))
            return None
        return device if _check_token(form, device) else None
    key, limit = str(user.pk), settings.QIAOJIA_RECOVERY_CODE_LIMIT
    if ratelimit.exceeded("accounts.recovery-code", key, limit):
        form.add_error("token", _("Too many wrong codes. Wait a few minutes, then try again."))
        return None
    device = services.recovery_code_use(user=user, code=token)
    if device is None:
        ratelimit.record_failure("accounts.recovery-code", key, limit)
        form.add_error("token", _("This recovery code is not valid or has already been used."))
    return device


@require_POST
def set_language(request):
    """Django's language switch, remembered for the logged-in user as well as in the cookie."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language) and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return django_set_language(request)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        if not request.user.needs_second_factor:
            return redirect(_safe_next(request))
        return redirect(_with_next("accounts:otp-setup", _safe_next(request)))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (used := _check_code(form, request.user)) is not None:
        otp_login(request, used)
        second_factor.mark_verified(request)
        if isinstance(used, RecoveryCodeDevice):
            messages.warning(
                request,
                _(
                    "You signed in with a recovery code, which now no longer works. If your authenticator is "
                    "lost, set up a new one and make new recovery codes."
                ),
            )
        return redirect(_safe_next(request))
    return render(
        request,
        "accounts/otp_verify.html",
        {
            "form": form,
            "next": _safe_next(request),
            "reverify": request.user.is_verified(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    has_confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if has_confirmed and not second_factor.verified_recently(request):
        # Replacing the authenticator needs the current one, lately: a password alone, or a session left
        # open, must not be enough to enrol a new device and so pass the second factor.
        return redirect(_with_next("accounts:otp-verify", request.get_full_path()))
    device = services.totp_device_start(user=request.user)
    form = SetupTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_token(form, device):
        services.totp_device_confirm(device=device)
        otp_login(request, device)
        second_factor.mark_verified(request)
        messages.success(request, _("Two-factor authentication is on."))
        return redirect(_safe_next(request))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "next": _safe_next(request),
            "qr_svg": qr_svg_base64(device.config_url, box_size=8),
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
            "has_confirmed": has_confirmed,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    """The owner's own sign-in settings: the authenticator (set up, or replaced after proving it is them with
    their password and a current code) and the one-time recovery codes (made anew the same way, shown once)."""
    user = request.user
    has_totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    recovery = RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
    action = request.POST.get("action")
    form = ReauthForm(request.POST if request.method == "POST" else None, user=user)
    may_turn_off, refused = permissions.can_turn_off_second_factor(user), False
    if request.method == "POST" and action in ("reenrol", "recovery", "turn-off") and has_totp:
        if action == "turn-off" and not may_turn_off:
            form, refused = ReauthForm(user=user), True
        elif form.is_valid() and _check_code(form, user) is not None:
            if action == "turn-off":
                try:
                    services.second_factor_turn_off(user=user)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("Two-factor authentication is off."))
                    return redirect("accounts:security")
            second_factor.mark_verified(request)
            if action == "reenrol":
                return redirect(_with_next("accounts:otp-setup", reverse("accounts:security")))
            codes = services.recovery_codes_generate(user=user)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    elif request.method == "POST":
        form = ReauthForm(user=user)
    return render(
        request,
        "accounts/security.html",
        {
            "has_totp": has_totp,
            "recovery_left": recovery.remaining() if recovery else None,
            "form": form,
            "action": action,
            "required": user.needs_second_factor,
            "may_turn_off": may_turn_off,
            "refused": refused,
        },
        status=400 if request.method == "POST" else 200,
    )
