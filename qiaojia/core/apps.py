from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qiaojia.core"
    label = "core"
