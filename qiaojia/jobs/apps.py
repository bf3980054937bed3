from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps


class JobsConfig(AppConfig):
    name = "qiaojia.jobs"
    label = "jobs"

    def ready(self):
        # Each QiaoJia app declares its job handlers in its own `tasks.py`: found here, in web and worker
        # processes alike, so no app below names the apps above it.
        for config in apps.get_app_configs():
            if config.name.startswith("qiaojia.") and find_spec(f"{config.name}.tasks") is not None:
                import_module(f"{config.name}.tasks")
