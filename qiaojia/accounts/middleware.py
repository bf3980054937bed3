from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from qiaojia.core.middleware import bind_user

# Paths a user who still owes the second factor may reach.
_OTP_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/p/")


class UserLanguageMiddleware:
    """A logged-in user's remembered language wins over the browser's when no explicit choice
    (the language cookie) was made in this browser; also names the user for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bind_user(request)
        user = request.user
        if (user.is_authenticated and user.language
                and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
                and user.language != translation.get_language()):
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    """Staff and officers must have verified a TOTP device in this session before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (settings.QIAOJIA_REQUIRE_OTP and user.is_authenticated and user.needs_second_factor
                and not user.is_verified() and not request.path.startswith(_OTP_EXEMPT_PREFIXES)):
            return redirect(f"{reverse('accounts:otp-verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
