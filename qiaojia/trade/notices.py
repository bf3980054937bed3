"""The notices of trade: an item submitted goes to its association's officers; the decision on it to the
association's officers and to whoever wrote it."""

from django.utils.translation import gettext_lazy as _

from qiaojia.notifications import recipients as user_recipients
from qiaojia.notifications.kinds import notice_kind
from qiaojia.orgs import recipients

OFFER_SUBMITTED = notice_kind(
    "trade.offer_submitted", label=_("Offer or need awaiting review"), rule=recipients.association_officers
)
OFFER_PUBLISHED = notice_kind(
    "trade.offer_published", label=_("Offer or need published"), rule=recipients.association_officers_and_author
)
OFFER_RETURNED = notice_kind(
    "trade.offer_returned",
    label=_("Offer or need returned for changes"),
    rule=recipients.association_officers_and_author,
)
INTEREST_EXPRESSED = notice_kind(
    "trade.interest_expressed", label=_("Expression of interest received"), rule=recipients.sides_of_a_case
)
INTRODUCTION_PROPOSED = notice_kind(
    "trade.introduction_proposed", label=_("Introduction proposed"), rule=recipients.sides_of_a_case
)
INTRODUCTION_ANSWERED = notice_kind(
    "trade.introduction_answered", label=_("Introduction accepted or declined"), rule=recipients.sides_of_a_case
)
INTRODUCTION_MOVED = notice_kind(
    "trade.introduction_moved", label=_("Introduction moved on"), rule=recipients.sides_of_a_case
)
WEEKLY_DIGEST = notice_kind(
    "trade.weekly_digest", label=_("Weekly digest of new matches"), rule=user_recipients.user_account
)

# B2B matchmaking declares its kinds beside its code; imported here so the registry finds them.
from .b2b import notices as b2b_notices  # noqa: E402, F401
