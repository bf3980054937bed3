from django.apps import AppConfig


class CycleConfig(AppConfig):
    name = "qiaojia.cycle"
    label = "cycle"
