"""gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi:application` (the README's Production)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
# A worker serving a request longer than this is killed and replaced (its transaction rolls back).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (a deploy, a restart, a scale-down) the listening socket closes at once and every worker
# finishes the request it is serving, for up to this many seconds, before it is killed: a request in
# flight completes, or its transaction rolls back whole (tests/faults/test_sigterm.py).
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
