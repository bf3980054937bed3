import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import ngettext

from qiaojia.core.middleware import bind_user

from . import second_factor

LAST_SEEN = "qiaojia_last_seen"
# Record activity at most this often: a session write on every request would cost a database write each time
# (the timeout may so end a session up to this much early).
_LAST_SEEN_STEP = 60


class UserLanguageMiddleware:
    """A logged-in user's remembered language wins over the browser's when no explicit choice
    (the language cookie) was made in this browser; also names the user for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bind_user(request)
        user = request.user
        if (
            user.is_authenticated
            and user.language
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language != translation.get_language()
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    """Staff and officers must have verified a TOTP device in this session before any route but the steps
    of signing in (`second_factor.SIGN_IN_ROUTES`); public pages are served to them as to an anonymous
    visitor until then. Routes are matched by name, so a new route is covered without being listed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not second_factor.is_owed(request.user):
            return None
        name = request.resolver_match.view_name
        if name in second_factor.SIGN_IN_ROUTES:
            return None
        if name in second_factor.PUBLIC_ROUTES:
            request.user = AnonymousUser()
            return None
        return second_factor.verify_redirect(request)


class IdleSessionTimeoutMiddleware:
    """Staff and officers are logged out after QIAOJIA_IDLE_TIMEOUT_MINUTES without a request; a request
    that arrives later is not served but sent to log in. Members keep the normal session age."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        minutes = settings.QIAOJIA_IDLE_TIMEOUT_MINUTES
        if minutes and user.is_authenticated and user.needs_second_factor:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if isinstance(last_seen, int) and now - last_seen > minutes * 60:
                back_to = second_factor.return_path(request)
                logout(request)
                messages.info(
                    request,
                    ngettext(
                        "You were logged out after %(minutes)d minute without activity. Log in again to continue.",
                        "You were logged out after %(minutes)d minutes without activity. Log in again to continue.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )
                return second_factor.redirect_to(request, f"{settings.LOGIN_URL}?{urlencode({'next': back_to})}")
            if not isinstance(last_seen, int) or now - last_seen >= _LAST_SEEN_STEP:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
