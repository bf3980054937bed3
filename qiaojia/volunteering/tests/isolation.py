"""This app's rows of the isolation matrix (qiaojia/core/tests/test_isolation.py merges them).

name -> (kwargs builder (world, "A"|"B") -> dict, or None; roles allowed on A's object; method).

An open campaign is a public call for volunteers: every logged-in user sees it and may sign up (the
member themselves, an officer their association's members). Its management, the sign-ups' hours, the
beneficiaries and the donations are the organising association's officers' and the federation's."""

ROLES = ("anonymous", "member", "officer_a", "officer_b", "staff", "admin")
FED = {"staff", "admin"}
LOGGED_IN = set(ROLES) - {"anonymous"}
OFFICERS = {"officer_a", "officer_b"}


def _vol(obj):
    def kwargs(w, k):
        from qiaojia.volunteering.tests.world import volunteering_world

        return {"pk": volunteering_world(w, k)[obj].pk}

    return kwargs


MATRIX = {
    "volunteering:campaign-list": (None, LOGGED_IN, "GET"),
    "volunteering:campaign-create": (None, OFFICERS | FED, "GET"),
    "volunteering:campaign-detail": (_vol("campaign"), LOGGED_IN, "GET"),
    "volunteering:campaign-edit": (_vol("campaign"), {"officer_a"} | FED, "GET"),
    "volunteering:campaign-status": (_vol("campaign"), {"officer_a"} | FED, "POST"),
    "volunteering:shift-create": (_vol("campaign"), {"officer_a"} | FED, "GET"),
    "volunteering:beneficiary-create": (_vol("campaign"), {"officer_a"} | FED, "GET"),
    "volunteering:shift-edit": (_vol("shift"), {"officer_a"} | FED, "GET"),
    "volunteering:signup-create": (_vol("shift"), LOGGED_IN, "GET"),
    "volunteering:signup-cancel": (_vol("signup"), {"officer_a"} | FED, "POST"),
    "volunteering:hours-record": (_vol("signup"), {"officer_a"} | FED, "GET"),
    "volunteering:hours-confirm": (_vol("signup"), {"officer_a"} | FED, "POST"),
    "volunteering:beneficiary-edit": (_vol("beneficiary"), {"officer_a"} | FED, "GET"),
    "volunteering:donation-list": (None, OFFICERS | FED, "GET"),
    "volunteering:donation-export": (None, OFFICERS | FED, "GET"),
    "volunteering:donation-create": (None, OFFICERS | FED, "GET"),
    "volunteering:donation-edit": (_vol("donation"), {"officer_a"} | FED, "GET"),
    "volunteering:donation-delete": (_vol("donation"), {"officer_a"} | FED, "POST"),
    "volunteering:totals": (None, OFFICERS | FED, "GET"),
}
