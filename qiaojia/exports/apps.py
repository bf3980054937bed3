from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ExportsConfig(AppConfig):
    """Exports sit above jobs and notifications: a long list is written by a background job and its
    owner is told when the file is ready. Each app declares its lists' exports in its own `exports.py`,
    imported here at start-up, so a job worker finds every source without importing a view."""

    name = "qiaojia.exports"
    label = "exports"

    def ready(self):
        autodiscover_modules("exports")
