import os

from django.core import checks
from django.core.management.base import SystemCheckError
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()

# gunicorn runs no system checks: run the security ones here, so production refuses to start on the
# development keys (accounts.checks) whatever server started it.
_serious = [error for error in checks.run_checks(tags=[checks.Tags.security]) if error.is_serious()]
if _serious:
    raise SystemCheckError("\n".join(str(error) for error in _serious))
