"""`{% unread_badge %}`: the header's count of unread notices (one indexed COUNT, see selectors.unread_count)."""

from django import template
from django.template.loader import render_to_string

from qiaojia.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_badge(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return render_to_string("notifications/_unread.html", {"unread": unread_count(viewer=user)})
