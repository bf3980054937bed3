"""Pure predicates about news articles; views and templates ask these.

Association officers write their association's articles and submit them; federation staff review
(publish or return with a reason) and write the federation's own articles, which they may publish
directly. Either side may withdraw a published article of theirs."""

from qiaojia.accounts import scope

from .models import ARTICLE_TRANSITIONS, EDITABLE_STATUSES, ArticleStatus


def can_use_newsroom(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_manage_article(user, article) -> bool:
    """The publisher's side: federation staff for every article, officers for their association's."""
    if scope.is_federation(user):
        return True
    return article.association_id is not None and article.association_id in scope.officer_association_ids(user)


def can_edit_article(user, article) -> bool:
    return can_manage_article(user, article) and article.status in EDITABLE_STATUSES


def _allowed(article, status: str) -> bool:
    return status in ARTICLE_TRANSITIONS.get(article.status, ())


def can_submit_article(user, article) -> bool:
    return can_manage_article(user, article) and _allowed(article, ArticleStatus.IN_REVIEW)


def can_review_article(user, article) -> bool:
    """Federation staff decide on an article in review."""
    return scope.is_federation(user)


def can_publish_article(user, article) -> bool:
    if not (scope.is_federation(user) and _allowed(article, ArticleStatus.PUBLISHED)):
        return False
    # An association's article reaches the public only through review.
    return article.association_id is None or article.status == ArticleStatus.IN_REVIEW


def can_return_article(user, article) -> bool:
    return scope.is_federation(user) and _allowed(article, ArticleStatus.RETURNED)


def can_withdraw_article(user, article) -> bool:
    return can_manage_article(user, article) and _allowed(article, ArticleStatus.WITHDRAWN)
