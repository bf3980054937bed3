from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "qiaojia.imports"
    label = "imports"

    def ready(self):
        from . import services  # noqa: F401 - registers the job handlers
