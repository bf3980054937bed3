from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qiaojia.core.pages import paginate

from . import selectors, services


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, selectors.notification_list(viewer=request.user, unread_only=unread_only))
    language = translation.get_language() or ""
    page.object_list = list(page.object_list)
    for notification in page.object_list:  # written now, in the reader's language and script
        notification.shown_subject = notification.subject_for(language, html=True)
        notification.shown_body = notification.body_for(language, html=True)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(viewer=request.user),
        },
    )


@login_required
def unread_count(request):
    """The header badge, fetched by htmx after the page loads (so no page pays for it)."""
    response = render(request, "notifications/_unread.html", {"unread": selectors.unread_count(viewer=request.user)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = selectors.notification_get(viewer=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, {request.get_host()})
        and request.POST.get("open") == "1"
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:inbox")
