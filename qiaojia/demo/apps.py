from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "qiaojia.demo"
    label = "demo"
