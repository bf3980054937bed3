from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "qiaojia.search"
    verbose_name = "Search"

    def ready(self):
        from . import indexers  # noqa: F401  (registers the built-in indexers)
