from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qiaojia.core"
    label = "core"

    def ready(self):
        from . import retention  # noqa: F401 - registers the audit-retention system check
