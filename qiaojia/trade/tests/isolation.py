"""This app's rows of the isolation matrix (qiaojia/core/tests/test_isolation.py merges them).

name -> (kwargs builder (world, "A"|"B") -> dict, or None; roles allowed on A's object; method).

A published item is every logged-in user's, without who posted it; a submitted one is its association's
officers' and the federation's; a draft and its files its association's officers' alone. An unlisted trade
profile is seen by those who see its enterprise; the public listing by anyone. An introduction is its sides'
(here both A's) and the federation's; interest in A's item is expressed by another association's officer; a
signed project is its association's officers' and the federation's."""

from .b2b_world import event_kwargs, meeting_kwargs, participant_kwargs, session_kwargs

ROLES = ("anonymous", "member", "officer_a", "officer_b", "staff", "admin")
FED = {"staff", "admin"}
ANYONE = set(ROLES)
LOGGED_IN = ANYONE - {"anonymous"}
OFFICERS = {"officer_a", "officer_b"}


def _t(obj):
    def kwargs(w, k):
        from qiaojia.trade.tests.world import trade_world

        return {"pk": trade_world(w, k)[obj].pk}

    return kwargs


# B2B matchmaking: a session is the event's, shared by the associations with an approved delegation (the same
# object for A and B); a participant's agenda and meetings are its association's officers' and the organisers'.
B2B = {
    "trade:b2b-list": (None, LOGGED_IN, "GET"),
    "trade:b2b-open": (event_kwargs, FED, "GET"),
    "trade:b2b-detail": (session_kwargs, OFFICERS | FED, "GET"),
    "trade:b2b-join": (session_kwargs, OFFICERS | FED, "GET"),
    "trade:b2b-request": (session_kwargs, OFFICERS, "POST"),
    "trade:b2b-meetings": (session_kwargs, FED, "GET"),
    "trade:b2b-export": (session_kwargs, FED, "GET"),
    "trade:b2b-answer": (meeting_kwargs, {"officer_a"}, "POST"),
    "trade:b2b-cancel": (meeting_kwargs, {"officer_a"}, "POST"),
    "trade:b2b-record": (meeting_kwargs, FED, "POST"),
    "trade:b2b-agenda": (participant_kwargs, {"officer_a"} | FED, "GET"),
    "trade:b2b-agenda-pdf": (participant_kwargs, {"officer_a"} | FED, "GET"),
}

MATRIX = {
    "trade:offer-list": (None, LOGGED_IN, "GET"),
    "trade:offer-export": (None, LOGGED_IN, "GET"),
    "trade:offer-create": (None, OFFICERS, "GET"),
    "trade:match-list": (None, FED, "GET"),
    "trade:offer-detail": (_t("submitted"), {"officer_a"} | FED, "GET"),
    "trade:offer-edit": (_t("draft"), {"officer_a"}, "GET"),
    "trade:offer-submit": (_t("draft"), {"officer_a"}, "POST"),
    "trade:offer-publish": (_t("submitted"), {"officer_a"}, "POST"),
    "trade:offer-return": (_t("submitted"), {"officer_a"}, "GET"),
    "trade:offer-withdraw": (_t("published"), {"officer_a"}, "POST"),
    "trade:attachment-create": (_t("draft"), {"officer_a"}, "GET"),
    "trade:attachment-file": (_t("attachment"), {"officer_a"}, "GET"),
    "trade:attachment-delete": (_t("attachment"), {"officer_a"}, "POST"),
    "trade:profile-list": (None, LOGGED_IN, "GET"),
    "trade:profile-export": (None, LOGGED_IN, "GET"),
    "trade:profile-detail": (_t("profile"), {"officer_a"} | FED, "GET"),
    "trade:profile-edit": (_t("enterprise"), {"officer_a"} | FED, "GET"),
    "trade:interest-create": (_t("published"), {"officer_b"}, "GET"),
    "trade:broker-create": (_t("published"), {"officer_a"} | FED, "GET"),
    "trade:introduction-list": (None, LOGGED_IN, "GET"),
    "trade:introduction-export": (None, LOGGED_IN, "GET"),
    "trade:introduction-detail": (_t("interest"), {"officer_a"} | FED, "GET"),
    "trade:introduction-answer": (_t("pending"), {"officer_a"}, "POST"),
    "trade:introduction-move": (_t("interest"), {"officer_a"} | FED, "GET"),
    "trade:project-list": (None, OFFICERS | FED, "GET"),
    "trade:project-export": (None, OFFICERS | FED, "GET"),
    "trade:project-create": (None, OFFICERS | FED, "GET"),
    "trade:project-detail": (_t("project"), {"officer_a"} | FED, "GET"),
    "trade:project-edit": (_t("project"), {"officer_a"} | FED, "GET"),
    "trade:project-follow-up": (_t("project"), {"officer_a"} | FED, "GET"),
    "trade:rate-list": (None, FED, "GET"),
    "trade:rate-create": (None, FED, "GET"),
    "trade:digest-settings": (None, LOGGED_IN, "GET"),
    "trade:public-list": (None, ANYONE, "GET"),
    "trade:public-detail": (_t("published"), ANYONE, "GET"),
}
MATRIX.update(B2B)
