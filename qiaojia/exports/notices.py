"""The exports' notice: a file written in the background is ready for the account that asked for it.
Its words are written when read, in the reader's language (`notifications.text`): the list is named by
its registered source, so its title is the reader's too."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qiaojia.notifications import recipients
from qiaojia.notifications.kinds import notice_kind

from .sources import export_source


def _list_label(name: str) -> str:
    try:
        return str(export_source(name).label)
    except Http404:
        return name


EXPORT_READY = notice_kind(
    "exports.ready",
    label=gettext_lazy("Export ready"),
    rule=recipients.user_account,
    subject=lambda p: _("Your export “%(name)s” is ready") % {"name": _list_label(p["source"])},
    body=lambda p: _("%(rows)s rows. Download it within %(hours)s hours; it is deleted then.") % p,
)
