from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors

PAGE_LIMIT = 10
SUGGEST_LIMIT = 5


@login_required
def search(request):
    q = request.GET.get("q", "")
    groups = selectors.search(viewer=request.user, q=q, limit=PAGE_LIMIT)
    return render(
        request,
        "search/search_results.html",
        {
            "q": q.strip()[: selectors.MAX_QUERY],
            "groups": groups,
            "found": any(g.entries for g in groups),
        },
    )


@login_required
def suggest(request):
    """The header box's drop-down (htmx): a few results per group, no page around them."""
    q = request.GET.get("q", "")
    groups = selectors.search(viewer=request.user, q=q, limit=SUGGEST_LIMIT)
    return render(
        request,
        "search/_suggest.html",
        {
            "q": q.strip()[: selectors.MAX_QUERY],
            "groups": groups,
            "found": any(g.entries for g in groups),
        },
    )
