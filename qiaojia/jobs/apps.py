from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "qiaojia.jobs"
    label = "jobs"
