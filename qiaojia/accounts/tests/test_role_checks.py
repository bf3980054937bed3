"""Role checks live in permissions.py (and scopes in selectors.py): a view module or a template that
decides by role itself fails here, so the rule holds for views and templates added later."""

import ast
import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

import qiaojia

PACKAGE = Path(qiaojia.__file__).parent

# What only accounts.scope, the selectors and the predicates may read.
SCOPE_NAMES = {"is_federation", "is_admin", "is_admin_role", "officer_association_ids", "own_person_id"}
USER_NAMES = {"user", "viewer", "owner", "actor"}


def _view_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("views*.py") if "tests" not in p.parts) + sorted(
        p for p in PACKAGE.rglob("views/*.py") if "tests" not in p.parts
    )


def _is_user(node: ast.expr) -> bool:
    """`user`, `request.user`, `self.request.user`, `viewer`...: the person asking."""
    if isinstance(node, ast.Name):
        return node.id in USER_NAMES
    return isinstance(node, ast.Attribute) and node.attr in USER_NAMES


def role_checks_in_module(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom):
            names = {alias.name for alias in node.names}
            if node.module == "qiaojia.accounts.scope" or (node.module == "qiaojia.accounts" and "scope" in names):
                found.append(f"{line}: imports accounts.scope")
            if node.module in ("qiaojia.accounts.models", "models") and "Role" in names:
                found.append(f"{line}: imports the user's Role")
            if node.level == 1 and (node.module == "scope" or (node.module is None and "scope" in names)):
                found.append(f"{line}: imports accounts.scope")
        elif isinstance(node, ast.Import) and any(a.name == "qiaojia.accounts.scope" for a in node.names):
            found.append(f"{line}: imports accounts.scope")
        elif isinstance(node, ast.Attribute):
            if node.attr in SCOPE_NAMES:
                found.append(f"{line}: reads {node.attr}")
            elif node.attr == "role" and _is_user(node.value):
                found.append(f"{line}: reads the user's role")
    return found


TEMPLATE_ROLE_CHECK = re.compile(
    r"{%[^%]*\b(?:user\.role|user\.is_staff|user\.is_superuser|is_federation|is_admin(?:_role)?)\b[^%]*%}"
)


def role_checks_in_template(text: str) -> list[str]:
    return [m.group(0) for m in TEMPLATE_ROLE_CHECK.finditer(text)]


def test_no_view_module_decides_by_role_itself():
    modules = _view_modules()
    assert len(modules) > 10
    found = {
        str(p.relative_to(PACKAGE)): checks
        for p in modules
        if (checks := role_checks_in_module(p.read_text(encoding="utf-8")))
    }
    assert found == {}, "ask a predicate in the app's permissions.py (or a selector) instead"


def test_no_template_decides_by_role_itself():
    templates = sorted(PACKAGE.rglob("templates/**/*.html"))
    assert len(templates) > 50
    found = {
        str(p.relative_to(PACKAGE)): checks
        for p in templates
        if (checks := role_checks_in_template(p.read_text(encoding="utf-8")))
    }
    assert found == {}, 'ask {% if user|can:"<app>.can_<verb>" %} (accounts/templatetags/predicates.py)'


@pytest.mark.parametrize(
    "source",
    [
        "from qiaojia.accounts import scope\n",
        "from . import scope, services\n",
        "def v(request):\n    return request.user.role == 'officer'\n",
        "def v(user):\n    return user.role in ('admin', 'staff')\n",
        "def v(request, s):\n    return s.is_federation(request.user)\n",
        "def v(request, s):\n    return s.officer_association_ids(request.user)\n",
        "from qiaojia.accounts.models import Role\n",
    ],
)
def test_the_module_check_catches_a_role_check(source):
    assert role_checks_in_module(source)


def test_the_module_check_lets_other_roles_and_predicates_pass():
    assert role_checks_in_module("def v(request, d):\n    return d.role == 'leader' and can_x(request.user)\n") == []


@pytest.mark.parametrize(
    "text",
    [
        '{% if user.role == "officer" %}x{% endif %}',
        "{% if is_federation or request.user.role == 'officer' %}x{% endif %}",
        "{% if not is_admin %}x{% endif %}",
    ],
)
def test_the_template_check_catches_a_role_check(text):
    assert role_checks_in_template(text)


def test_the_template_check_lets_a_role_label_and_predicates_pass():
    text = '{{ user.get_role_display }}{% if d.role != "leader" %}{% endif %}'
    text += '{% if user|can:"cycle.can_compile" %}{% endif %}'
    assert role_checks_in_template(text) == []


def test_templates_ask_the_same_predicate_the_view_asks(staff_user, officer_of):
    template = Template('{% load predicates %}{% if user|can:"cycle.can_compile" %}yes{% else %}no{% endif %}')
    assert template.render(Context({"user": staff_user})) == "yes"
    assert template.render(Context({"user": officer_of})) == "no"


@pytest.mark.parametrize("name", ["cycle.compile", "cycle.can_fly", "nowhere.can_compile"])
def test_a_misspelt_predicate_fails_where_it_is_written(staff_user, name):
    with pytest.raises((TemplateSyntaxError, LookupError)):
        Template('{% load predicates %}{% if user|can:"' + name + '" %}{% endif %}').render(
            Context({"user": staff_user})
        )
