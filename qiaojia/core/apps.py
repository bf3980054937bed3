from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qiaojia.core"
    label = "core"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import retention  # noqa: F401 - registers the audit-retention system check

        # Each app declares the dated items it shows in the shared calendar in its own `calendar.py`.
        autodiscover_modules("calendar")
