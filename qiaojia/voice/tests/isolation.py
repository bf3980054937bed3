"""This app's rows of the isolation matrix (qiaojia/core/tests/test_isolation.py merges them).

name -> (kwargs builder (world, "A"|"B") -> dict, or None; roles allowed on A's object; method).

A member's opinion sent through association A is seen by the member (its sender), A's officers and the
federation; the department that handles it (by default) is the federation's, so only staff act on it. The
attachment is the sender's and the federation's. The public form and the tracking page are anyone's."""

ROLES = ("anonymous", "member", "officer_a", "officer_b", "staff", "admin")
FED = {"staff", "admin"}
ANYONE = set(ROLES)
LOGGED_IN = ANYONE - {"anonymous"}


def _v(obj):
    def kwargs(w, k):
        from qiaojia.voice.tests.world import voice_world

        return {"pk": voice_world(w, k)[obj].pk}

    return kwargs


MATRIX = {
    "voice:opinion-list": (None, LOGGED_IN, "GET"),
    "voice:opinion-export": (None, LOGGED_IN, "GET"),
    "voice:opinion-create": (None, {"member", "officer_a", "officer_b"}, "GET"),
    "voice:rates": (None, FED, "GET"),
    "voice:rates-export": (None, FED, "GET"),
    "voice:opinion-detail": (_v("opinion"), {"member", "officer_a"} | FED, "GET"),
    "voice:opinion-acknowledge": (_v("opinion"), FED, "POST"),
    "voice:opinion-route": (_v("opinion"), FED, "GET"),
    "voice:opinion-extend": (_v("opinion"), FED, "GET"),
    "voice:opinion-reply": (_v("opinion"), FED, "GET"),
    "voice:opinion-merge": (_v("opinion"), FED, "GET"),
    "voice:opinion-file": (_v("opinion"), {"member"} | FED, "GET"),
    "voice:public-create": (None, ANYONE, "GET"),
    "voice:public-receipt": (None, ANYONE, "GET"),
    "voice:public-track": (None, ANYONE, "GET"),
}
# The member sees only the opinions they sent themselves (B's is another person's).
MEMBER_OWN_ONLY = {"voice:opinion-detail", "voice:opinion-file"}
