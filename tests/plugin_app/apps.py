from django.apps import AppConfig


class PluginAppConfig(AppConfig):
    """A test-only app (installed by config/settings/test.py alone): a searchable, exportable record that
    joins the search index and the exports through its own search.py and exports.py, nothing else."""

    name = "tests.plugin_app"
    label = "plugin_app"
