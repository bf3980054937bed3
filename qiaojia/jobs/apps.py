from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "qiaojia.jobs"
    label = "jobs"

    def ready(self):
        from qiaojia.core import export_jobs  # noqa: F401 - registers the export job handler
