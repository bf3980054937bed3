"""The notices of news: an article submitted for review goes to the federation's staff responsible
for its association; its publication or return goes to the association's officers and its author."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

ARTICLE_SUBMITTED = notice_kind("news.submitted", label=_("Article to review"), rule=recipients.federation_staff)
ARTICLE_PUBLISHED = notice_kind(
    "news.published", label=_("Article published"), rule=recipients.association_officers_and_author
)
ARTICLE_RETURNED = notice_kind(
    "news.returned", label=_("Article returned for changes"), rule=recipients.association_officers_and_author
)
