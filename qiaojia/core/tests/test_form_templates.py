"""Every template that draws form fields draws their help texts too, under the field and with the id the
field's aria-describedby names (Django adds `<auto_id>_helptext` to a field with help text)."""

import re
from pathlib import Path

import qiaojia

HELP = re.compile(r'id="\{\{ field\.auto_id \}\}_helptext">\{\{ field\.help_text \}\}')


def _field_templates():
    root = Path(qiaojia.__file__).parent
    for path in sorted(root.glob("**/templates/**/*.html")):
        text = path.read_text()
        # A template draws fields where it draws their errors.
        if "field.errors" in text:
            yield path.relative_to(root).as_posix(), text


def test_every_template_that_draws_fields_draws_their_help():
    templates = dict(_field_templates())
    assert "core/templates/core/_form_fields.html" in templates
    assert "cycle/templates/cycle/_fields.html" in templates
    missing = [name for name, text in templates.items() if not HELP.search(text)]
    assert not missing, f"templates that draw fields without their help texts: {missing}"
