"""The platform's WSGI application with every INSERT slowed by FAULT_INSERT_DELAY seconds, so that a request is
still inside its transaction when tests/faults/test_sigterm.py signals the server."""

import os
import sys
import time

from django.core.wsgi import get_wsgi_application
from django.db.backends.signals import connection_created

DELAY = float(os.environ.get("FAULT_INSERT_DELAY", "0"))


def _slow_inserts(execute, sql, params, many, context):
    if sql.lstrip()[:6].upper() == "INSERT":
        # The test counts the rows a request began to write against the rows that were kept.
        print(f"slow insert: {sql.split('(', 1)[0].strip()}", file=sys.stderr, flush=True)
        time.sleep(DELAY)
    return execute(sql, params, many, context)


def _install(sender, connection, **kwargs):
    if _slow_inserts not in connection.execute_wrappers:
        connection.execute_wrappers.append(_slow_inserts)


connection_created.connect(_install)
application = get_wsgi_application()
