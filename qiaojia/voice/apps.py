from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "qiaojia.voice"
    label = "voice"
