from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top layer: the pages that read across apps (the overview, the audit trail). Nothing imports it."""

    name = "qiaojia.home"
    label = "home"
