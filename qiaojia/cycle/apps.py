from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "qiaojia.cycle"
    label = "cycle"
    verbose_name = _("Annual work cycle")

    def ready(self):
        from . import documents  # noqa: F401 - registers the compilation job handler
