"""Every URL pattern, for every role, against objects of the viewer's own association and another's.

A URL added without an entry in MATRIX fails `test_every_url_pattern_is_in_the_matrix`."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import make_credit_code, make_id_number
from qiaojia.accounts.models import Role
from qiaojia.members import services as member_services
from qiaojia.members.models import Membership, MembershipLevel
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle, PartnerKind

ROLES = ("anonymous", "member", "officer_a", "officer_b", "staff", "admin")
FED = {"staff", "admin"}
ANYONE = set(ROLES)
LOGGED_IN = set(ROLES) - {"anonymous"}

# name -> (how to build kwargs from the world for association "A" or "B", roles allowed on A's object, method).
# For an object of B, officer_a and officer_b swap places. "member" is a member of A (and only A).
MATRIX = {
    "home": (None, ANYONE, "GET"),
    "healthz": (None, ANYONE, "GET"),
    "orgs-public": (lambda w, k: {"pk": w[k]["association"].pk}, ANYONE, "GET"),
    "accounts:login": (None, ANYONE, "GET"),
    "accounts:logout": (None, ANYONE, "POST"),
    "accounts:otp-verify": (None, LOGGED_IN, "GET"),
    "accounts:otp-setup": (None, LOGGED_IN, "GET"),
    "accounts:set-language": (None, ANYONE, "POST"),
    "core:audit-list": (None, {"admin"}, "GET"),
    "accounts:user-list": (None, {"admin"}, "GET"),
    "accounts:user-create": (None, {"admin"}, "GET"),
    "accounts:user-edit": (lambda w, k: {"pk": w["users"]["officer_a" if k == "A" else "officer_b"].pk},
                           {"admin"}, "GET"),
    "orgs:association-list": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "orgs:association-create": (None, FED, "GET"),
    "orgs:association-detail": (lambda w, k: {"pk": w[k]["association"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:association-edit": (lambda w, k: {"pk": w[k]["association"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:term-create": (lambda w, k: {"pk": w[k]["association"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:party-branch-edit": (lambda w, k: {"pk": w[k]["association"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:term-edit": (lambda w, k: {"pk": w[k]["term"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:partner-list": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "orgs:partner-create": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "orgs:partner-detail": (lambda w, k: {"pk": w[k]["partner"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:partner-edit": (lambda w, k: {"pk": w[k]["partner"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:liaison-create": (lambda w, k: {"pk": w[k]["partner"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:department-list": (None, FED, "GET"),
    "orgs:department-create": (None, {"admin"}, "GET"),
    "orgs:department-edit": (lambda w, k: {"pk": w["department"].pk}, {"admin"}, "GET"),
    "orgs:federation-edit": (None, {"admin"}, "GET"),
    "members:person-list": (None, LOGGED_IN, "GET"),
    "members:person-export": (None, LOGGED_IN, "GET"),
    "members:person-create": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "members:person-detail": (lambda w, k: {"pk": w[k]["person"].pk}, {"officer_a", "member"} | FED, "GET"),
    "members:person-edit": (lambda w, k: {"pk": w[k]["person"].pk}, {"officer_a", "member"} | FED, "GET"),
    "members:person-reveal": (lambda w, k: {"pk": w[k]["person"].pk, "field": "phone"},
                              {"officer_a", "member"} | FED, "POST"),
    "members:enterprise-list": (None, LOGGED_IN, "GET"),
    "members:enterprise-create": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "members:enterprise-detail": (lambda w, k: {"pk": w[k]["enterprise"].pk}, {"officer_a"} | FED, "GET"),
    "members:enterprise-edit": (lambda w, k: {"pk": w[k]["enterprise"].pk}, {"officer_a"} | FED, "GET"),
    "members:membership-edit": (lambda w, k: {"pk": w[k]["membership"].pk}, {"officer_a"} | FED, "GET"),
}
# Objects of B are the member's own only where the member is the person itself; the member belongs to A.
MEMBER_OWN_ONLY = {"members:person-detail", "members:person-edit", "members:person-reveal"}


def _pattern_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            if entry.app_name == "admin":
                continue
            yield from _pattern_names(entry, namespace)
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.name}" if entry.name else f"{prefix}<unnamed {entry.pattern}>"


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(set(_pattern_names()) - set(MATRIX))
    assert not missing, f"URL patterns without an isolation-matrix entry: {missing}"


@pytest.fixture
def world(federation, liaison_department, business_association, other_association, make_person, make_user):
    w = {"department": liaison_department}
    for key, association, person_name in (("A", business_association, "柴莉"),
                                          ("B", other_association, "王秘密")):
        person = make_person(person_name, association=association, phone="+861391234567" + str(len(w)),
                             id_number=make_id_number(len(w) + 10, "19750203"))
        term = org_services.term_create(association=association, data={
            "person": person, "title": AssociationTitle.SECRETARY_GENERAL,
            "starts_on": datetime.date(2024, 1, 1), "ends_on": datetime.date(2028, 12, 31)})
        partner = org_services.partner_create(association=association, data={
            "name": f"{association.short_name or association.name}合作夥伴", "kind": PartnerKind.UNIVERSITY})
        enterprise = member_services.enterprise_create(data={
            "name": f"{person_name}實業有限公司", "credit_code": make_credit_code(900 + len(w))})
        member_services.membership_create(association=association, enterprise=enterprise,
                                          data={"level": MembershipLevel.MEMBER_UNIT,
                                                "joined_on": datetime.date(2021, 1, 1)})
        w[key] = {"association": association, "person": person, "term": term, "partner": partner,
                  "enterprise": enterprise, "membership": Membership.objects.get(person=person)}
    w["users"] = {
        "anonymous": None,
        "member": make_user("member", Role.MEMBER, person=w["A"]["person"]),
        "officer_a": make_user("officer_a", Role.OFFICER, associations=[business_association]),
        "officer_b": make_user("officer_b", Role.OFFICER, associations=[other_association]),
        "staff": make_user("staff", Role.STAFF, department=liaison_department),
        "admin": make_user("admin", Role.ADMIN),
    }
    return w


def _allowed(name, allowed, role, owner):
    if owner == "B":
        swap = {"officer_a": "officer_b", "officer_b": "officer_a"}
        allowed = {swap.get(r, r) for r in allowed}
        if name in MEMBER_OWN_ONLY:
            allowed = allowed - {"member"}
    return role in allowed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_isolation_matrix(client, world, role):
    from conftest import verified_client

    user = world["users"][role]
    failures = []
    for name, (kwargs_for, allowed, method) in MATRIX.items():
        owners = ("A", "B") if kwargs_for else ("A",)
        for owner in owners:
            client.logout()
            if user is not None:
                verified_client(client, user)
            url = reverse(name, kwargs=kwargs_for(world, owner) if kwargs_for else None)
            response = client.post(url) if method == "POST" else client.get(url)
            ok = _allowed(name, allowed, role, owner)
            status = response.status_code
            if ok and status not in (200, 302, 400):
                failures.append(f"{role} {method} {name}[{owner}] -> {status}, expected access")
            if ok and status == 302 and "/accounts/login/" in response.get("Location", ""):
                failures.append(f"{role} {method} {name}[{owner}] -> login redirect, expected access")
            if not ok:
                denied = status == 404 or (role == "anonymous" and status == 302
                                           and "/accounts/login/" in response["Location"])
                if not denied:
                    failures.append(f"{role} {method} {name}[{owner}] -> {status}, expected 404")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["members:person-list", "members:person-export", "orgs:association-list",
                                  "orgs:partner-list", "members:enterprise-list", "home"])
def test_officer_lists_never_show_another_association(client, world, name):
    from conftest import verified_client

    verified_client(client, world["users"]["officer_a"])
    response = client.get(reverse(name))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert response.status_code == 200
    for secret in ("王秘密", world["B"]["partner"].name, world["B"]["enterprise"].name):
        assert secret not in text, f"{name} shows {secret} to an officer of another association"
