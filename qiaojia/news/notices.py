"""The notices of news: an article submitted for review goes to the federation's staff responsible
for its association; its publication or return goes to the association's officers and its author.
Their words are written when read, in the reader's language (`notifications.text`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

ARTICLE_SUBMITTED = notice_kind(
    "news.submitted",
    label=gettext_lazy("Article to review"),
    rule=recipients.federation_staff,
    subject=lambda p: _("Article to review: %(title)s") % p,
    body=lambda p: _("%(association)s submitted “%(title)s” for review.") % p,
)
ARTICLE_PUBLISHED = notice_kind(
    "news.published",
    label=gettext_lazy("Article published"),
    rule=recipients.association_officers_and_author,
    subject=lambda p: _("Published: %(title)s") % p,
    body=lambda p: _("“%(title)s” is now on the public news portal.") % p,
)
ARTICLE_RETURNED = notice_kind(
    "news.returned",
    label=gettext_lazy("Article returned for changes"),
    rule=recipients.association_officers_and_author,
    subject=lambda p: _("Returned for changes: %(title)s") % p,
    body=lambda p: _("“%(title)s” was returned for changes: %(reason)s") % p,
)
