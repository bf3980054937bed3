from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "qiaojia.news"
    label = "news"
