from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SearchConfig(AppConfig):
    name = "qiaojia.search"
    verbose_name = "Search"

    def ready(self):
        # Each app declares what it puts in the index in its own `search.py` (see `registry`).
        autodiscover_modules("search")
