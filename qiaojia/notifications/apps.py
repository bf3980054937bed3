from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "qiaojia.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's notices.py declares its kinds (qiaojia.notifications.kinds); none is named here.
        autodiscover_modules("notices")
