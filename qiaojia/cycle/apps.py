from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "qiaojia.cycle"
    label = "cycle"
    verbose_name = _("Annual work cycle")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app declares the work-report figures it counts in its own `report_figures.py` (see `figures`).
        autodiscover_modules("report_figures")
