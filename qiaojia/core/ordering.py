"""Moving one row of a numbered list (an agenda, an article's photos) up or down, written once."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .services import ConflictError, update_versioned

DIRECTIONS = ("up", "down")


def order_move(rows: list, *, row, expected_version: int, direction: str, field: str = "order"):
    """Move `row` one place within `rows` (the whole list in its order, its parent locked by the
    caller) and renumber the list 1..n; only rows whose number changes are written, each versioned
    and audited. Returns `row` as saved. A stale version of `row` is a conflict."""
    if direction not in DIRECTIONS:
        raise ValidationError(_("Choose up or down."))
    index = next((i for i, it in enumerate(rows) if it.pk == row.pk), None)
    if index is None or rows[index].version != expected_version:
        raise ConflictError()
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    moved = row
    for position, it in enumerate(rows, start=1):
        if getattr(it, field) != position:
            updated = update_versioned(it, expected_version=it.version, **{field: position})
            if it.pk == row.pk:
                moved = updated
    return moved
