"""Every URL pattern, asked with a password-only session of each role that owes the second factor, is sent
to verification, except the steps of signing in and the public pages (served as to an anonymous visitor).

Routes are enumerated from the resolver, as the isolation matrix does, so a route added later is swept too."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from qiaojia.accounts.second_factor import PUBLIC_ROUTES, SIGN_IN_ROUTES
from qiaojia.core.tests import test_isolation as isolation

VERIFY_URL = "/accounts/2fa/"
OWING_ROLES = ("officer_a", "staff", "admin")

world = isolation.world  # the isolation matrix's world: both associations and every role's account


def test_the_exempt_routes_are_named_routes():
    names = set(isolation._pattern_names())
    assert SIGN_IN_ROUTES <= names
    assert PUBLIC_ROUTES <= names
    assert not SIGN_IN_ROUTES & PUBLIC_ROUTES


def test_the_exempt_routes_are_only_the_steps_of_signing_in_and_public_pages():
    assert SIGN_IN_ROUTES == {
        "accounts:login",
        "accounts:logout",
        "accounts:otp-verify",
        "accounts:otp-setup",
        "accounts:set-language",
    }
    assert {name for name in PUBLIC_ROUTES if not name.startswith("news:")} == {
        "healthz",
        "accounts:password-reset",
        "accounts:password-reset-done",
        "accounts:password-reset-confirm",
        "accounts:password-reset-complete",
        "orgs-public",
        "meetings:sign-in",
        "events:event-public",
        "trade:public-list",
        "trade:public-detail",
        # The public's opinion form, its receipt and the tracking page (issue 15).
        "voice:public-create",
        "voice:public-receipt",
        "voice:public-track",
    }


def _urls(world):
    """(route name, URL of association A's object) for every URL pattern; a route the isolation matrix
    cannot build a URL for is reported, not skipped."""
    urls, unknown = [], []
    for name in isolation._pattern_names():
        if name not in isolation.MATRIX:
            unknown.append(name)
            continue
        kwargs_for = isolation.MATRIX[name][0]
        urls.append((name, reverse(name, kwargs=kwargs_for(world, "A") if kwargs_for else None)))
    return urls, unknown


@pytest.mark.django_db
def test_every_route_sends_a_password_only_session_to_verification(client, world):
    urls, unknown = _urls(world)
    assert not unknown, f"routes without a way to build their URL in the isolation matrix: {unknown}"
    assert len(urls) > 150
    failures = []
    for role in OWING_ROLES:
        user = world["users"][role]
        for name, url in urls:
            for method in ("get", "post"):
                if SESSION_KEY not in client.session:
                    client.force_login(user)  # a password login: no device verified in this session
                response = getattr(client, method)(url)
                location = response.get("Location", "")
                to_verify = (
                    response.status_code in (302, 204)
                    and urlsplit(location or response.get("HX-Redirect", "")).path == VERIFY_URL
                )
                if name in SIGN_IN_ROUTES:
                    continue
                if name in PUBLIC_ROUTES:
                    if to_verify or response.wsgi_request.user.is_authenticated:
                        failures.append(f"{role} {method} {name}: a public page not served as to a visitor")
                elif not to_verify:
                    failures.append(f"{role} {method} {name} -> {response.status_code} {location}")
                elif parse_qs(urlsplit(location).query).get("next") != [url]:
                    failures.append(f"{role} {method} {name}: next is not the page asked for ({location})")
    assert not failures, "\n".join(failures)
