from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from qiaojia.core.middleware import bind_user

from . import second_factor


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
