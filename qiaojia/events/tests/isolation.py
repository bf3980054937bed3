"""This app's rows of the isolation matrix (qiaojia/core/tests/test_isolation.py merges them).

name -> (kwargs builder (world, "A"|"B") -> dict, or None; roles allowed on A's object; method).

An event is the federation's and shared by every association: its pages are the same object for A and
B. A delegation, its delegates and badges belong to one association: its officers and the federation.
A member asks to join their own association's delegation and withdraws their own request; the association's
officers decide on it. Another association's delegation or another person's request does not exist for them."""

from .world import (
    check_in_kwargs,
    delegate_kwargs,
    delegation_kwargs,
    event_kwargs,
    join_kwargs,
    join_request_kwargs,
    public_kwargs,
)

ANYONE = {"anonymous", "member", "officer_a", "officer_b", "staff", "admin"}
FED = {"staff", "admin"}
OFFICERS = {"officer_a", "officer_b"}
LOGGED_IN = ANYONE - {"anonymous"}
# Rows where a member reaches A's object only, never B's (they belong to A alone).
MEMBER_OWN_ONLY = {"events:join-request-create", "events:join-request-withdraw"}

MATRIX = {
    "events:event-list": (None, OFFICERS | FED, "GET"),
    "events:event-create": (None, FED, "GET"),
    "events:event-public": (public_kwargs, ANYONE, "GET"),
    "events:joinable-list": (None, LOGGED_IN, "GET"),
    "events:join-request-create": (join_kwargs, {"member"}, "POST"),
    "events:join-request-withdraw": (join_request_kwargs, {"member"}, "POST"),
    "events:join-request-decide": (join_request_kwargs, {"officer_a"}, "POST"),
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
