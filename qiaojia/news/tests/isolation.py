"""This app's rows of the isolation matrix (qiaojia/core/tests/test_isolation.py merges them).

name -> (kwargs builder (world, "A"|"B") -> dict, or None; roles allowed on A's object; method).

Published news is public; a draft, its photos and the newsroom are its association's officers' and
the federation's only. Publishing and returning are federation staff's."""

ROLES = ("anonymous", "member", "officer_a", "officer_b", "staff", "admin")
FED = {"staff", "admin"}
ANYONE = set(ROLES)
NEWSROOM = {"officer_a", "officer_b"} | FED


def _news(obj):
    def kwargs(w, k):
        from qiaojia.news.tests.world import news_world

        return {"pk": news_world(w, k)[obj].pk}

    return kwargs


def _public_article(w, k):
    from qiaojia.news.tests.world import news_world

    article = news_world(w, k)["published"]
    day = article.published_on
    return {"year": day.year, "month": day.month, "day": day.day, "slug": article.slug}


def _association(w, k):
    return {"pk": w[k]["association"].pk}


MATRIX = {
    "news:portal": (None, ANYONE, "GET"),
    "news:feed": (None, ANYONE, "GET"),
    "news:association": (_association, ANYONE, "GET"),
    "news:association-feed": (_association, ANYONE, "GET"),
    "news:article": (_public_article, ANYONE, "GET"),
    # The photo of a draft: only those who may see the draft (the published one's is public).
    "news:image": (_news("draft_image"), {"officer_a"} | FED, "GET"),
    "news:article-list": (None, NEWSROOM, "GET"),
    "news:article-create": (None, NEWSROOM, "GET"),
    "news:article-import": (None, NEWSROOM, "GET"),
    "news:article-detail": (_news("draft"), {"officer_a"} | FED, "GET"),
    "news:article-edit": (_news("draft"), {"officer_a"} | FED, "GET"),
    "news:article-submit": (_news("draft"), {"officer_a"} | FED, "POST"),
    "news:article-publish": (_news("draft"), FED, "POST"),
    "news:article-return": (_news("draft"), FED, "GET"),
    "news:article-withdraw": (_news("published"), {"officer_a"} | FED, "POST"),
    "news:image-create": (_news("draft"), {"officer_a"} | FED, "GET"),
    "news:image-edit": (_news("draft_image"), {"officer_a"} | FED, "GET"),
    "news:image-move": (_news("draft_image"), {"officer_a"} | FED, "POST"),
    "news:image-delete": (_news("draft_image"), {"officer_a"} | FED, "POST"),
}
