"""The member picker's suggestions (members.picker): a fragment of ticked-box suggestions for htmx."""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qiaojia.search.selectors import MAX_QUERY

from . import selectors

_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,40}")


@login_required
@require_GET
def person_pick(request):
    """Up to a few people the viewer may choose, for the query typed (?q=), named like the form's field
    (?field=); ?within= limits them to one association's people; ?one= offers them for a single choice."""
    field = request.GET.get("field", "")
    if not _FIELD.fullmatch(field):
        field = "people"
    within = request.GET.get("within", "")
    q = request.GET.get("q", "")[:MAX_QUERY]
    found = selectors.person_pick(
        viewer=request.user,
        q=q,
        within_association=int(within) if within.isdigit() and len(within) < 10 else None,
    )
    context = {
        "found": found,
        "field": field,
        "q": q.strip(),
        "input_type": "radio" if request.GET.get("one") else "checkbox",
    }
    return render(request, "members/_person_pick.html", context)
