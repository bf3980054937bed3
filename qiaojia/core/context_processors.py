from django.conf import settings


def platform(request):
    return {
        "LANGUAGES_MENU": settings.LANGUAGES,
        "request_id": getattr(request, "request_id", ""),
        "TERM_WARNING_DAYS": settings.QIAOJIA_TERM_WARNING_DAYS,
    }
