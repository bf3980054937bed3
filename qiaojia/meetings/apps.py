from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "qiaojia.meetings"
    label = "meetings"
