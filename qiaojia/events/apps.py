from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "qiaojia.events"
    label = "events"
