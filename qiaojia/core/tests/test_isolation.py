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


def _meeting_of(w, k):
    from qiaojia.meetings.tests.world import meeting_world

    return meeting_world(w, k)


def _cyc(obj):
    """kwargs for a cycle URL: the pk of `obj` ("report", "item", "attachment", ...) of association k's cycle."""

    def kwargs(w, k):
        from qiaojia.cycle.tests.world import cycle_world

        return {"pk": cycle_world(w, k)[obj].pk}

    return kwargs


def _cyc_year(w, k):
    from qiaojia.cycle.tests.world import cycle_world, report_year

    return {"pk": cycle_world(w, k)["association"].pk, "year": report_year()}


def _cyc_priorities(w, k):
    from qiaojia.cycle.tests.world import cycle_world

    cycle_world(w, k)
    return {"pk": w["cycle_priorities"].pk}


def _mtg(obj):
    """kwargs for a meeting URL: the pk of `obj` ("meeting", "item", "participant", ...) of k's meeting."""
    return lambda w, k: {"pk": _meeting_of(w, k)[obj].pk}


# name -> (how to build kwargs from the world for association "A" or "B", roles allowed on A's object, method).
# For an object of B, officer_a and officer_b swap places. "member" is a member of A (and only A).
MATRIX = {
    "home:index": (None, ANYONE, "GET"),
    # The shared calendar: every signed-in user, each seeing what is public and what is theirs.
    "home:calendar-list": (None, LOGGED_IN, "GET"),
    "home:calendar-feed": (None, LOGGED_IN, "GET"),
    "healthz": (None, ANYONE, "GET"),
    "orgs-public": (lambda w, k: {"pk": w[k]["association"].pk}, ANYONE, "GET"),
    "accounts:login": (None, ANYONE, "GET"),
    "accounts:logout": (None, ANYONE, "POST"),
    "accounts:otp-verify": (None, LOGGED_IN, "GET"),
    "accounts:otp-setup": (None, LOGGED_IN, "GET"),
    "accounts:set-language": (None, ANYONE, "POST"),
    "accounts:security": (None, LOGGED_IN, "GET"),
    "accounts:password-change": (None, LOGGED_IN, "GET"),
    "accounts:password-reset": (None, ANYONE, "GET"),
    "accounts:password-reset-done": (None, ANYONE, "GET"),
    "accounts:password-reset-confirm": (lambda w, k: {"uidb64": "MQ", "token": "set-password"}, ANYONE, "GET"),
    "accounts:password-reset-complete": (None, ANYONE, "GET"),
    "home:mine": (None, {"member"}, "GET"),
    "home:audit-list": (None, {"admin"}, "GET"),
    "home:audit-export": (None, {"admin"}, "GET"),
    "accounts:user-list": (None, {"admin"}, "GET"),
    "accounts:user-create": (None, {"admin"}, "GET"),
    "accounts:user-edit": (
        lambda w, k: {"pk": w["users"]["officer_a" if k == "A" else "officer_b"].pk},
        {"admin"},
        "GET",
    ),
    "orgs:association-list": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "orgs:association-export": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "orgs:association-create": (None, FED, "GET"),
    "orgs:association-detail": (lambda w, k: {"pk": w[k]["association"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:association-edit": (lambda w, k: {"pk": w[k]["association"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:term-create": (lambda w, k: {"pk": w[k]["association"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:party-branch-edit": (lambda w, k: {"pk": w[k]["association"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:term-edit": (lambda w, k: {"pk": w[k]["term"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:partner-list": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "orgs:partner-export": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "orgs:partner-create": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "orgs:partner-detail": (lambda w, k: {"pk": w[k]["partner"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:partner-edit": (lambda w, k: {"pk": w[k]["partner"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:liaison-create": (lambda w, k: {"pk": w[k]["partner"].pk}, {"officer_a"} | FED, "GET"),
    "orgs:department-list": (None, FED, "GET"),
    "orgs:department-create": (None, {"admin"}, "GET"),
    "orgs:department-edit": (lambda w, k: {"pk": w["department"].pk}, {"admin"}, "GET"),
    "orgs:federation-edit": (None, {"admin"}, "GET"),
    "members:person-list": (None, LOGGED_IN, "GET"),
    "members:person-pick": (None, LOGGED_IN, "GET"),
    "members:person-export": (None, LOGGED_IN, "GET"),
    "members:person-create": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "members:person-detail": (lambda w, k: {"pk": w[k]["person"].pk}, {"officer_a", "member"} | FED, "GET"),
    "members:person-edit": (lambda w, k: {"pk": w[k]["person"].pk}, {"officer_a", "member"} | FED, "GET"),
    "members:person-reveal": (
        lambda w, k: {"pk": w[k]["person"].pk, "field": "phone"},
        {"officer_a", "member"} | FED,
        "POST",
    ),
    # The data subject's rights: the person themselves and federation staff; erasure is the administrator's.
    "members:person-data": (lambda w, k: {"pk": w[k]["person"].pk}, {"member"} | FED, "GET"),
    "members:person-consent-withdraw": (lambda w, k: {"pk": w[k]["person"].pk}, {"member"} | FED, "GET"),
    "members:person-erase": (lambda w, k: {"pk": w[k]["person"].pk}, {"admin"}, "GET"),
    "members:duplicate-list": (None, FED, "GET"),
    "members:duplicate-compare": (
        lambda w, k: {"a": w[k]["person"].pk, "b": w["B" if k == "A" else "A"]["person"].pk},
        FED,
        "GET",
    ),
    "members:duplicate-dismiss": (
        lambda w, k: {"a": w[k]["person"].pk, "b": w["B" if k == "A" else "A"]["person"].pk},
        FED,
        "POST",
    ),
    # A's request: B's officer entered A's person; staff and the person decide, the officer who asked never opens it.
    "members:pending-review": (lambda w, k: {"pk": _pending_of(w, k).pk}, {"member"} | FED, "GET"),
    "members:pending-decide": (lambda w, k: {"pk": _pending_of(w, k).pk}, {"member"} | FED, "POST"),
    "members:enterprise-list": (None, LOGGED_IN, "GET"),
    "members:enterprise-export": (None, LOGGED_IN, "GET"),
    "members:enterprise-create": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "members:enterprise-detail": (lambda w, k: {"pk": w[k]["enterprise"].pk}, {"officer_a"} | FED, "GET"),
    "members:enterprise-edit": (lambda w, k: {"pk": w[k]["enterprise"].pk}, {"officer_a"} | FED, "GET"),
    "search:search": (None, LOGGED_IN, "GET"),
    "search:suggest": (None, LOGGED_IN, "GET"),
    "members:membership-edit": (lambda w, k: {"pk": w[k]["membership"].pk}, {"officer_a"} | FED, "GET"),
    "imports:import-list": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "imports:import-create": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "imports:import-template": (None, {"officer_a", "officer_b"} | FED, "GET"),
    # An import and its job are their owner's alone (A's belongs to officer_a, B's to officer_b).
    "imports:import-detail": (lambda w, k: {"pk": _import_of(w, k).pk}, {"officer_a"}, "GET"),
    "imports:upload-detail": (lambda w, k: {"pk": _import_of(w, k) and w["upload", k].pk}, {"officer_a"}, "GET"),
    "imports:import-map": (lambda w, k: {"pk": _import_of(w, k).pk}, {"officer_a"}, "GET"),
    "imports:import-report": (lambda w, k: {"pk": _import_of(w, k).pk}, {"officer_a"}, "GET"),
    "imports:import-commit": (lambda w, k: {"pk": _import_of(w, k).pk}, {"officer_a"}, "POST"),
    "jobs:job-progress": (lambda w, k: {"pk": _import_of(w, k).job_id}, {"officer_a"}, "GET"),
    "jobs:job-result": (lambda w, k: {"pk": _import_of(w, k).job_id}, {"officer_a"}, "GET"),
    # A background export's page and file are the user's who asked for it alone.
    "exports:detail": (lambda w, k: {"pk": _export_of(w, k).pk}, {"officer_a"}, "GET"),
    "exports:file": (lambda w, k: {"pk": _export_of(w, k).pk}, {"officer_a"}, "GET"),
    # Any registered list's export by name: the source's own check decides (the audit trail's: admins).
    "exports:source": (lambda w, k: {"name": "audit-trail"}, {"admin"}, "GET"),
    # Meetings: an association's meeting and everything in it are its officers' and the federation's only.
    "meetings:meeting-list": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "meetings:meeting-export": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "meetings:meeting-create": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "meetings:meeting-detail": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:meeting-edit": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:meeting-status": (_mtg("meeting"), {"officer_a"} | FED, "POST"),
    "meetings:meeting-invite": (_mtg("meeting"), {"officer_a"} | FED, "POST"),
    "meetings:minutes-edit": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:meeting-attendance": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:attendance-export": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:meeting-sign-in-sheet": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:meeting-pdf": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:agenda-create": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:agenda-bulk": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:participant-bulk": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:participant-create": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:resolution-create": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:task-create": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:photo-create": (_mtg("meeting"), {"officer_a"} | FED, "GET"),
    "meetings:agenda-edit": (_mtg("item"), {"officer_a"} | FED, "GET"),
    "meetings:agenda-move": (_mtg("item"), {"officer_a"} | FED, "POST"),
    "meetings:agenda-delete": (_mtg("item"), {"officer_a"} | FED, "POST"),
    "meetings:participant-edit": (_mtg("participant"), {"officer_a"} | FED, "GET"),
    "meetings:participant-delete": (_mtg("participant"), {"officer_a"} | FED, "POST"),
    "meetings:participant-mark": (_mtg("participant"), {"officer_a"} | FED, "POST"),
    "meetings:participant-unlock": (_mtg("participant"), {"officer_a"} | FED, "POST"),
    "meetings:resolution-edit": (_mtg("resolution"), {"officer_a"} | FED, "GET"),
    "meetings:task-edit": (_mtg("task"), {"officer_a"} | FED, "GET"),
    "meetings:photo-file": (_mtg("photo"), {"officer_a"} | FED, "GET"),
    "meetings:photo-edit": (_mtg("photo"), {"officer_a"} | FED, "GET"),
    "meetings:photo-delete": (_mtg("photo"), {"officer_a"} | FED, "POST"),
    "meetings:photo-move": (_mtg("photo"), {"officer_a"} | FED, "POST"),
    "meetings:sign-in": (lambda w, k: {"token": _meeting_of(w, k)["token"]}, ANYONE, "GET"),
    # The annual cycle: an association's report, plan items and files are its officers' and the federation's
    # only; the published work priorities are every officer's.
    "cycle:priorities-list": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "cycle:priorities-create": (None, FED, "GET"),
    "cycle:priorities-detail": (_cyc_priorities, {"officer_a", "officer_b"} | FED, "GET"),
    "cycle:priorities-edit": (_cyc_priorities, FED, "GET"),
    "cycle:priorities-publish": (_cyc_priorities, FED, "POST"),
    "cycle:report-list": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "cycle:dashboard": (None, FED, "GET"),
    "cycle:report-start": (_cyc_year, {"officer_a"}, "POST"),
    "cycle:report-remind": (_cyc_year, FED, "POST"),
    "cycle:report-detail": (_cyc("report"), {"officer_a"} | FED, "GET"),
    "cycle:report-edit": (_cyc("report"), {"officer_a"}, "GET"),
    "cycle:report-autosave": (_cyc("report"), {"officer_a"}, "POST"),
    "cycle:report-submit": (_cyc("report"), {"officer_a"}, "POST"),
    "cycle:report-return": (_cyc("report"), FED, "GET"),
    "cycle:report-accept": (_cyc("report"), FED, "POST"),
    "cycle:report-file": (_cyc("report"), FED, "POST"),
    "cycle:report-attach": (lambda w, k: {**_cyc("report")(w, k), "kind": "financial"}, {"officer_a"}, "GET"),
    "cycle:report-declaration": (_cyc("report"), {"officer_a"} | FED, "GET"),
    "cycle:plan-item-create": (_cyc("report"), {"officer_a"}, "GET"),
    "cycle:plan-carry-over": (_cyc("report"), {"officer_a"}, "POST"),
    "cycle:plan-list": (None, {"officer_a", "officer_b"} | FED, "GET"),
    "cycle:plan-item-detail": (_cyc("item"), {"officer_a"} | FED, "GET"),
    "cycle:plan-item-edit": (_cyc("item"), {"officer_a"}, "GET"),
    "cycle:plan-item-delete": (_cyc("item"), {"officer_a"}, "POST"),
    "cycle:progress-create": (_cyc("item"), {"officer_a"}, "GET"),
    "cycle:file-download": (_cyc("attachment"), {"officer_a"} | FED, "GET"),
    "cycle:compilation": (None, FED, "GET"),
    # Notifications: a notice is its recipient's alone (A's goes to officer_a, B's to officer_b).
    "notifications:inbox": (None, LOGGED_IN, "GET"),
    "notifications:unread-count": (None, LOGGED_IN, "GET"),
    "notifications:notification-read": (_cyc("notification"), {"officer_a"}, "POST"),
    "notifications:read-all": (None, LOGGED_IN, "POST"),
}
# Issue 5's apps keep their rows beside their code.
_APP_ROWS = [
    __import__(f"qiaojia.{_app}.tests.isolation", fromlist=["MATRIX"])
    for _app in ("activities", "events", "volunteering", "news", "meetings", "trade", "voice")
]
for _rows in _APP_ROWS:
    MATRIX.update(_rows.MATRIX)

# Objects of B are the member's own only where the member is the person itself; the member belongs to A.
MEMBER_OWN_ONLY = {
    "members:person-detail",
    "members:person-edit",
    "members:person-reveal",
    "members:person-data",
    "members:person-consent-withdraw",
    "members:pending-review",
    "members:pending-decide",
}
for _rows in _APP_ROWS:
    MEMBER_OWN_ONLY |= getattr(_rows, "MEMBER_OWN_ONLY", set())


def _pending_of(w, k):
    """A membership of the other association awaiting confirmation, naming association k's person (made once)."""
    if ("pending", k) not in w:
        other = w["B" if k == "A" else "A"]["association"]
        w["pending", k] = member_services.pending_membership_create(
            association=other,
            person=w[k]["person"],
            submitted={"name": "所填姓名"},
            actor=None,
            membership_data={"joined_on": datetime.date(2024, 1, 1)},
        )
    return w["pending", k]


def _import_of(w, k):
    """A checked import of association k by its officer, with a finished job holding its report (made once)."""
    if ("import", k) not in w:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from qiaojia.imports import services as import_services
        from qiaojia.imports.models import MemberImport
        from qiaojia.jobs import services as job_services
        from qiaojia.jobs.models import Job, JobStatus

        owner = w["users"]["officer_a" if k == "A" else "officer_b"]
        csv_file = SimpleUploadedFile("m.csv", "姓名,手机\n王新,13812349999\n".encode())
        upload = import_services.import_upload(owner=owner, association=w[k]["association"], uploaded=csv_file)
        job_services.job_run(job_services.job_claim(upload.pk))  # the file is read: the import is made
        upload.refresh_from_db()
        imp = MemberImport.objects.get(pk=upload.params["import"])
        import_services.import_map(imp=imp, mapping=imp.mapping, consent=False)
        job_services.job_run(job_services.job_claim(imp.job_id))  # and checked
        imp.refresh_from_db()
        w["upload", k] = upload
        from pathlib import Path

        from django.conf import settings

        result = Path(settings.MEDIA_ROOT) / "jobs" / f"isolation-{imp.pk}.csv"
        result.parent.mkdir(parents=True, exist_ok=True)
        result.write_text("row,outcome\n")
        job = Job.objects.create(
            kind="imports.check",
            owner=owner,
            association=w[k]["association"],
            status=JobStatus.SUCCEEDED,
            result_path=f"jobs/{result.name}",
            result_name="check.csv",
        )
        type(imp).objects.filter(pk=imp.pk).update(job=job)
        imp.job_id = job.pk
        w["import", k] = imp
    return w["import", k]


def _export_of(w, k):
    """A finished background export of the people list by association k's officer, its file kept (made once)."""
    if ("export", k) not in w:
        from pathlib import Path

        from django.conf import settings
        from django.utils import timezone

        from qiaojia.exports.services import EXPORT_KIND
        from qiaojia.jobs.models import Job, JobStatus

        owner = w["users"]["officer_a" if k == "A" else "officer_b"]
        result = Path(settings.MEDIA_ROOT) / "exports" / f"isolation-{k}-{owner.pk}.csv"
        result.parent.mkdir(parents=True, exist_ok=True)
        result.write_text("name\n")
        w["export", k] = Job.objects.create(
            kind=EXPORT_KIND,
            owner=owner,
            status=JobStatus.SUCCEEDED,
            finished_at=timezone.now(),
            params={"name": "people", "format": "csv"},
            result_path=f"exports/{result.name}",
            result_name="people.csv",
        )
    return w["export", k]


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
    for key, association, person_name in (("A", business_association, "柴莉"), ("B", other_association, "王秘密")):
        person = make_person(
            person_name,
            association=association,
            phone="+861391234567" + str(len(w)),
            id_number=make_id_number(len(w) + 10, "19750203"),
        )
        term = org_services.term_create(
            association=association,
            data={
                "person": person,
                "title": AssociationTitle.SECRETARY_GENERAL,
                "starts_on": datetime.date(2024, 1, 1),
                "ends_on": datetime.date(2028, 12, 31),
            },
        )
        partner = org_services.partner_create(
            association=association,
            data={"name": f"{association.short_name or association.name}合作夥伴", "kind": PartnerKind.UNIVERSITY},
        )
        enterprise = member_services.enterprise_create(
            data={"name": f"{person_name}實業有限公司", "credit_code": make_credit_code(900 + len(w))}
        )
        member_services.membership_create(
            association=association,
            enterprise=enterprise,
            data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2021, 1, 1)},
        )
        w[key] = {
            "association": association,
            "person": person,
            "term": term,
            "partner": partner,
            "enterprise": enterprise,
            "membership": Membership.objects.get(person=person),
        }
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


def matrix_failures(client, world, role, matrix) -> list[str]:
    """Every row of `matrix` requested as `role`, for each owner's record: what answered other than the row
    allows (access where it is allowed, 404 or the sign-in page where it is not)."""
    from conftest import verified_client

    user = world["users"][role]
    failures = []
    for name, (kwargs_for, allowed, method) in matrix.items():
        for owner in ("A", "B") if kwargs_for else ("A",):
            client.logout()
            if user is not None:
                verified_client(client, user)
            url = reverse(name, kwargs=kwargs_for(world, owner) if kwargs_for else None)
            response = client.post(url) if method == "POST" else client.get(url)
            status = response.status_code
            if _allowed(name, allowed, role, owner):
                if status not in (200, 302, 400):
                    failures.append(f"{role} {method} {name}[{owner}] -> {status}, expected access")
                elif status == 302 and "/accounts/login/" in response.get("Location", ""):
                    failures.append(f"{role} {method} {name}[{owner}] -> login redirect, expected access")
            elif not (
                status == 404 or (role == "anonymous" and status == 302 and "/accounts/login/" in response["Location"])
            ):
                failures.append(f"{role} {method} {name}[{owner}] -> {status}, expected 404")
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_isolation_matrix(client, world, role):
    failures = matrix_failures(client, world, role, MATRIX)
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "members:person-list",
        "members:person-export",
        "orgs:association-list",
        "orgs:partner-list",
        "members:enterprise-list",
        "home:index",
        "members:enterprise-export",
        "orgs:association-export",
        "orgs:partner-export",
    ],
)
def test_officer_lists_never_show_another_association(client, world, name):
    from conftest import verified_client

    verified_client(client, world["users"]["officer_a"])
    response = client.get(reverse(name))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert response.status_code == 200
    for secret in ("王秘密", world["B"]["partner"].name, world["B"]["enterprise"].name):
        assert secret not in text, f"{name} shows {secret} to an officer of another association"
