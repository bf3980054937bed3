from django.conf import settings

from qiaojia.accounts import scope


def platform(request):
    user = request.user
    return {
        "LANGUAGES_MENU": settings.LANGUAGES,
        "is_federation": scope.is_federation(user),
        "is_admin": scope.is_admin(user),
        "request_id": getattr(request, "request_id", ""),
        "TERM_WARNING_DAYS": settings.QIAOJIA_TERM_WARNING_DAYS,
    }
