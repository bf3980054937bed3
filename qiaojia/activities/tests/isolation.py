"""This app's rows of the isolation matrix (qiaojia/core/tests/test_isolation.py merges them).

name -> (kwargs builder (world, "A"|"B") -> dict, or None; roles allowed on A's object; method).
An association's activities and their photos are its officers' and the federation's only. A member registers
for their own association's open activities and cancels their own registration; another association's
activity or another person's registration does not exist for them."""

FED = {"staff", "admin"}
OFFICERS = {"officer_a", "officer_b"}


def _act(obj):
    def kwargs(w, k):
        from qiaojia.activities.tests.world import activity_world

        return {"pk": activity_world(w, k)[obj].pk}

    return kwargs


def _co(obj):
    def kwargs(w, k):
        from qiaojia.activities.tests.world import co_organised_world

        return {"pk": co_organised_world(w, k)[obj].pk}

    return kwargs


# Rows where a member reaches A's object only, never B's (they belong to A alone).
MEMBER_OWN_ONLY = {"activities:registration-create", "activities:registration-cancel"}
LOGGED_IN = {"member", "officer_a", "officer_b", "staff", "admin"}

# A's co-organised activity invites B: B's officers answer for B, A's (and staff) invite and remove.
MATRIX = {
    "activities:co-organiser-create": (_act("activity"), {"officer_a"} | FED, "GET"),
    "activities:co-organiser-answer": (_co("row"), {"officer_b"}, "POST"),
    "activities:co-organiser-delete": (_co("row"), {"officer_a"} | FED, "POST"),
    "activities:open-list": (None, LOGGED_IN, "GET"),
    "activities:registration-create": (_act("activity"), {"member"}, "POST"),
    "activities:registration-cancel": (_act("registration"), {"member"}, "POST"),
    "activities:registration-list": (_act("activity"), {"officer_a"} | FED, "GET"),
    "activities:attendance-record": (_act("activity"), {"officer_a"} | FED, "POST"),
    "activities:activity-list": (None, OFFICERS | FED, "GET"),
    "activities:activity-export": (None, OFFICERS | FED, "GET"),
    "activities:activity-create": (None, OFFICERS | FED, "GET"),
    "activities:activity-detail": (_act("activity"), {"officer_a"} | FED, "GET"),
    "activities:activity-edit": (_act("activity"), {"officer_a"} | FED, "GET"),
    "activities:activity-delete": (_act("activity"), {"officer_a"} | FED, "POST"),
    "activities:photo-create": (_act("activity"), {"officer_a"} | FED, "GET"),
    "activities:photo-file": (_act("photo"), {"officer_a"} | FED, "GET"),
    "activities:photo-edit": (_act("photo"), {"officer_a"} | FED, "GET"),
    "activities:photo-delete": (_act("photo"), {"officer_a"} | FED, "POST"),
    "activities:photo-move": (_act("photo"), {"officer_a"} | FED, "POST"),
}
