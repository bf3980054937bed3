from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "qiaojia.members"
    label = "members"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's `subject_data` module registers what it holds about a person (see `rights`).
        autodiscover_modules("subject_data")
