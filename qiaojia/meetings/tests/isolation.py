"""This app's joint-meeting rows of the isolation matrix (qiaojia/core/tests/test_isolation.py merges them).

A series is seen by its member associations' officers and federation staff; the federation sets it up;
the host's officers run their meeting. A's series has A and a third association, so its next host is the
third one, whose officers are none of the matrix's roles: only staff may schedule it."""

FED = {"staff", "admin"}
OFFICERS = {"officer_a", "officer_b"}


def _joint(obj):
    def kwargs(w, k):
        from qiaojia.meetings.tests.world import joint_world

        return {"pk": joint_world(w, k)[obj].pk}

    return kwargs


MATRIX = {
    "meetings:joint-list": (None, OFFICERS | FED, "GET"),
    "meetings:joint-create": (None, FED, "GET"),
    "meetings:joint-detail": (_joint("series"), {"officer_a"} | FED, "GET"),
    "meetings:joint-member-create": (_joint("series"), FED, "GET"),
    "meetings:joint-schedule": (_joint("series"), FED, "GET"),
    "meetings:joint-member-delete": (_joint("member"), FED, "POST"),
    "meetings:joint-meeting-detail": (_joint("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:joint-meeting-edit": (_joint("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:joint-meeting-status": (_joint("meeting"), {"officer_a"} | FED, "POST"),
}
