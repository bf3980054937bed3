from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "qiaojia.imports"
    label = "imports"
