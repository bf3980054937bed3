"""The second factor's rules: who owes it, which routes need none, and how recent a verification is."""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

# Routes a user who still owes the second factor may reach: the steps of signing in itself.
SIGN_IN_ROUTES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:otp-verify",
        "accounts:otp-setup",
        "accounts:set-language",
    }
)
# Pages made for anonymous visitors. Until the second factor is passed they are served as to an anonymous
# visitor, so a password alone shows nothing more than no password at all.
PUBLIC_ROUTES = frozenset(
    {
        "healthz",
        "accounts:password-reset",
        "accounts:password-reset-done",
        "accounts:password-reset-confirm",
        "accounts:password-reset-complete",
        "orgs-public",
        "meetings:sign-in",
        "events:event-public",
        "trade:public-list",
        "trade:public-detail",
        "voice:public-create",
        "voice:public-receipt",
        "voice:public-track",
        "news:portal",
        "news:feed",
        "news:association",
        "news:association-feed",
        "news:article",
        "news:image",
    }
)
VERIFIED_AT = "qiaojia_second_factor_at"


def is_required(user) -> bool:
    return bool(settings.QIAOJIA_REQUIRE_OTP and user.is_authenticated and user.needs_second_factor)


def is_owed(user) -> bool:
    """A staff member or officer logged in with a password who has not passed the second factor."""
    return is_required(user) and not user.is_verified()


def mark_verified(request) -> None:
    request.session[VERIFIED_AT] = int(time.time())


def verified_recently(request) -> bool:
    """The second factor was passed in this session within QIAOJIA_SENSITIVE_REVERIFY_MINUTES."""
    at = request.session.get(VERIFIED_AT)
    return bool(
        request.user.is_verified()
        and isinstance(at, int)
        and 0 <= time.time() - at <= settings.QIAOJIA_SENSITIVE_REVERIFY_MINUTES * 60
    )


def return_path(request) -> str:
    """Where to come back to: the page asked for, or for a form post or an htmx call the page it came from."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    source = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    if source and url_has_allowed_host_and_scheme(
        source, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(source)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def redirect_to(request, url: str):
    """A redirect the browser follows as a page, also from an htmx call (which would swap the page in)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def verify_redirect(request):
    return redirect_to(request, f"{reverse('accounts:otp-verify')}?{urlencode({'next': return_path(request)})}")
