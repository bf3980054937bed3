from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "qiaojia.orgs"
    label = "orgs"
