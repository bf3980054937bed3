from django.apps import AppConfig


class TradeConfig(AppConfig):
    name = "qiaojia.trade"
    label = "trade"
