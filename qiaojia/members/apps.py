from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "qiaojia.members"
    label = "members"
