from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    name = "qiaojia.volunteering"
    label = "volunteering"
