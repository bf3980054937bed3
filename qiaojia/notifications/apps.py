from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "qiaojia.notifications"
    label = "notifications"
