import sys

from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """The error page (handler500), drawn without the database: 503 with Retry-After when the database
    could not be reached or refused the work, so people and load balancers try again; 500 otherwise."""
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    template = "503.html" if unavailable else "500.html"
    response = HttpResponse(loader.get_template(template).render(), status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
