"""This app's rows of the isolation matrix (qiaojia/core/tests/test_isolation.py merges them).

name -> (kwargs builder (world, "A"|"B") -> dict, or None; roles allowed on A's object; method).

An event is the federation's and shared by every association: its pages are the same object for A and
B. A delegation, its delegates and badges belong to one association: its officers and the federation."""

from .world import check_in_kwargs, delegate_kwargs, delegation_kwargs, event_kwargs, public_kwargs

ANYONE = {"anonymous", "member", "officer_a", "officer_b", "staff", "admin"}
FED = {"staff", "admin"}
OFFICERS = {"officer_a", "officer_b"}

MATRIX = {
    "events:event-list": (None, OFFICERS | FED, "GET"),
    "events:event-create": (None, FED, "GET"),
    "events:event-public": (public_kwargs, ANYONE, "GET"),
    "events:event-detail": (event_kwargs, OFFICERS | FED, "GET"),
    "events:event-edit": (event_kwargs, FED, "GET"),
    "events:event-status": (event_kwargs, FED, "POST"),
    "events:event-quotas": (event_kwargs, FED, "GET"),
    "events:delegation-list": (event_kwargs, OFFICERS | FED, "GET"),
    "events:delegation-create": (event_kwargs, OFFICERS, "GET"),
    "events:waitlist-promote": (event_kwargs, FED, "POST"),
    "events:event-check-ins": (event_kwargs, FED, "GET"),
    "events:event-export": (event_kwargs, FED, "GET"),
    "events:event-door": (event_kwargs, FED, "GET"),
    "events:check-in": (check_in_kwargs, FED, "GET"),
    "events:delegation-detail": (delegation_kwargs, {"officer_a"} | FED, "GET"),
    "events:delegation-edit": (delegation_kwargs, {"officer_a"}, "GET"),
    "events:delegation-submit": (delegation_kwargs, {"officer_a"}, "POST"),
    "events:delegation-withdraw": (delegation_kwargs, {"officer_a"}, "POST"),
    "events:delegation-review": (delegation_kwargs, FED, "POST"),
    "events:delegation-badges": (delegation_kwargs, {"officer_a"} | FED, "GET"),
    "events:delegate-create": (delegation_kwargs, {"officer_a"}, "GET"),
    "events:delegate-edit": (delegate_kwargs, {"officer_a"}, "GET"),
    "events:delegate-delete": (delegate_kwargs, {"officer_a"}, "POST"),
    "events:delegate-badge": (delegate_kwargs, {"officer_a"} | FED, "GET"),
}
