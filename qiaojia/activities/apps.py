from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "qiaojia.activities"
    label = "activities"
