"""Templates ask the same predicates as views: `{% if user|can:"cycle.can_use_cycle" %}`.

The name is `<app label>.<predicate>` in that app's `permissions.py`; only predicates of the user alone
(`can_*(user)`) are reachable this way, and a view passes the answer for one record. The module is found
by name at render time, so accounts imports no app above it."""

from functools import cache
from importlib import import_module

from django import template
from django.apps import apps

register = template.Library()


@cache
def predicate(name: str):
    """The predicate `name` names; an unknown name is a programming error, raised where it is written."""
    label, _, function = name.partition(".")
    if not function.startswith("can_"):
        raise template.TemplateSyntaxError(f"{name!r} does not name a can_* predicate")
    module = import_module(f"{apps.get_app_config(label).name}.permissions")
    found = getattr(module, function, None)
    if not callable(found):
        raise template.TemplateSyntaxError(f"{label}.permissions has no predicate {function!r}")
    return found


@register.filter
def can(user, name: str) -> bool:
    return bool(predicate(name)(user))
