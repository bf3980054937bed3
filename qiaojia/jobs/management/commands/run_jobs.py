from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from qiaojia.jobs.tasks import job_task


class Command(BaseCommand):
    help = (
        "Run background jobs: the worker of the configured task backend, the database backend's `db_worker` "
        "or RQ's `rqworker` (QIAOJIA_TASKS_BACKEND=rq). Start as many as wanted, on any machine."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then stop")

    def handle(self, *args, once=False, verbosity=1, **options):
        if isinstance(task_backends[job_task.backend], DatabaseBackend):
            call_command("db_worker", queue_name=job_task.queue_name, batch=once, reload=False, verbosity=verbosity)
        else:
            call_command("rqworker", job_task.queue_name, burst=once, verbosity=verbosity)
