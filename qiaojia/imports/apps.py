from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "qiaojia.imports"
    label = "imports"

    def ready(self):
        from . import tasks  # noqa: F401 - registers the job handlers (until the job runner loads each app's tasks)
