"""The data subject's rights (PIPL arts. 44-47): the copy, correction, consent withdrawal and erasure."""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from conftest import TEST_PASSWORD, make_id_number, verified_client
from qiaojia.accounts.models import Role, User
from qiaojia.activities import services as activity_services
from qiaojia.activities.models import ActivityKind
from qiaojia.core.masking import mask_id_number, mask_phone
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.core.validators import format_phone_national
from qiaojia.cycle import documents
from qiaojia.cycle import services as cycle_services
from qiaojia.cycle.tests.world import make_priorities, make_report, report_year
from qiaojia.events.tests.world import make_delegation, make_event
from qiaojia.meetings import services as meeting_services
from qiaojia.meetings.models import ParticipantRole, SignInMethod
from qiaojia.meetings.tests.world import make_meeting
from qiaojia.members import rights, selectors, services
from qiaojia.members.duplicates import duplicate_candidates
from qiaojia.members.models import ConsentWithdrawal, Membership, MembershipLevel, Person
from qiaojia.notifications.models import Notification
from qiaojia.notifications.services import notify
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle
from qiaojia.orgs.tests.helpers import text_of
from qiaojia.search import selectors as search_selectors
from qiaojia.search.backends import get_backend
from qiaojia.search.models import SearchEntry
from qiaojia.volunteering import services as volunteering_services
from qiaojia.volunteering.models import SignupStatus
from qiaojia.volunteering.tests.world import make_campaign, make_shift

pytestmark = pytest.mark.django_db

NAME, NAME_EN, PINYIN, INITIALS = "鄭定輝", "Zheng Dinghui", "zhengdinghui", "zdh"
PHONE, EMAIL = "+8613912345678", "dinghui.zheng@example.com"
ID = make_id_number(518, "19680704")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def subject(business_association, make_user, media):
    """A member with a record everywhere: membership, term, meeting (signed in), activity, delegation,
    volunteering hours, a notification, and an account that logged in."""
    membership = services.member_add(
        association=business_association,
        id_number=ID,
        consent=True,
        person_data={"name": NAME, "name_en": NAME_EN, "phone": PHONE, "email": EMAIL, "public_title": "董事長"},
        membership_data={"level": MembershipLevel.DIRECTOR, "joined_on": datetime.date(2019, 3, 1)},
    )
    person = membership.person
    user = make_user("zhengdh", Role.MEMBER, person=person)
    org_services.term_create(
        association=business_association,
        data={
            "person": person,
            "title": AssociationTitle.PRESIDENT,
            "starts_on": datetime.date(2023, 1, 1),
            "ends_on": datetime.date(2027, 12, 31),
        },
    )
    meeting = make_meeting(business_association, title="理事會第三次會議")
    participant = meeting_services.participant_add(
        meeting=meeting, data={"role": ParticipantRole.ADDRESSES, "person": person}
    )
    meeting_services.participant_sign_in(participant=participant, method=SignInMethod.STAFF)
    activity_services.activity_create(
        association=business_association,
        members=[person],
        data={"title": "僑商座談會", "kind": ActivityKind.TRADE, "starts_on": datetime.date(2024, 5, 1)},
    )
    make_delegation(make_event(), business_association, leader=NAME)
    shift = make_shift(make_campaign(business_association))
    signup = volunteering_services.signup_create(shift=shift, person=person, association=business_association)
    volunteering_services.hours_record(
        signup=signup, expected_version=signup.version, status=SignupStatus.ATTENDED, hours=Decimal("2.5"), by=None
    )
    notify("general", user=user, subject="歡迎加入", body="鄭定輝您好")
    verified_client(Client(), user)  # a login, in the audit trail under the account's name
    return Person.objects.get(pk=person.pk)


def _zip(response) -> dict[str, bytes]:
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _sections(files) -> dict[str, list]:
    data = json.loads(files["personal-data.json"])
    return {s["kind"]: s["rows"] for s in data["sections"]}


# --- the copy (art. 45) --------------------------------------------------------------------------


def test_a_member_downloads_everything_the_platform_holds_about_them(client, subject):
    user = User.objects.get(person=subject)
    verified_client(client, user)
    page = client.get(reverse("members:person-detail", args=[subject.pk]))
    assert reverse("members:person-data", args=[subject.pk]) in text_of(page)
    response = client.post(reverse("members:person-data", args=[subject.pk]))
    assert response["Cache-Control"] == "no-store"
    files = _zip(response)
    assert set(files) == {"personal-data.json", "personal-data.html", "personal-data.xlsx"}
    sections = _sections(files)
    record = sections["members.person"][0]
    assert record["name"] == NAME and record["id_number"] == ID and record["email"] == EMAIL
    assert record["name_pinyin"] == PINYIN and record["consent_at"]
    assert [m["association"] for m in sections["members.memberships"]] == ["河南省僑商聯合會"]
    assert sections["orgs.terms"][0]["title"]
    assert sections["meetings.participations"][0]["meeting"] == "理事會第三次會議"
    assert sections["meetings.participations"][0]["signed_in_at"]
    assert sections["activities.participations"][0]["title"] == "僑商座談會"
    assert sections["events.delegations_led"][0]["leader_name"] == NAME
    assert sections["events.delegates"][0]["name"] == NAME
    assert sections["volunteering.signups"][0]["hours"] == "2.50"
    assert sections["notifications.inbox"][0]["subject"] == "歡迎加入"
    assert sections["accounts.user"][0]["username"] == "zhengdh"
    about = {(row["object_type"], row["action"]) for row in sections["core.audit"]}
    assert ("members.person", str(AuditAction.CREATE.label)) in about
    assert ("members.membership", str(AuditAction.CREATE.label)) in about
    assert ("meetings.participant", str(AuditAction.UPDATE.label)) in about
    assert ("accounts.user", str(AuditAction.LOGIN.label)) in about
    html = files["personal-data.html"].decode()
    assert NAME in html and ID in html and "理事會第三次會議" in html and "<script" not in html
    book = load_workbook(io.BytesIO(files["personal-data.xlsx"]))
    assert len(book.sheetnames) == len(sections)
    assert any(ID in str(cell.value) for row in book.worksheets[0].iter_rows() for cell in row)
    reveal = AuditEntry.objects.filter(action=AuditAction.REVEAL, object_id=str(subject.pk)).get()
    assert reveal.actor_id == user.pk and reveal.changes["field"] == "personal_data_copy"


def test_staff_make_a_copy_only_on_the_persons_request_which_is_recorded(client, subject, staff_user):
    verified_client(client, staff_user)
    url = reverse("members:person-data", args=[subject.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()
    files = _zip(client.post(url, {"on_request": "本人來函 5月3日"}))
    assert _sections(files)["members.person"][0]["id_number"] == ID
    reveal = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert reveal.actor_id == staff_user.pk and reveal.changes["on_request"] == "本人來函 5月3日"


def test_an_officer_cannot_make_a_copy_even_of_their_own_member(client, subject, officer_of):
    verified_client(client, officer_of)
    assert client.post(reverse("members:person-data", args=[subject.pk]), {"on_request": "x"}).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_the_copy_costs_the_same_queries_for_one_record_of_each_kind_as_for_several(
    subject, other_association, business_association
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            rights.personal_data_collect(person=Person.objects.get(pk=subject.pk))
        return len(queries)

    before = count()
    services.membership_create(
        association=other_association, person=subject, data={"joined_on": datetime.date(2021, 1, 1)}
    )
    for n in range(3):
        meeting = make_meeting(business_association, title=f"會議{n}")
        meeting_services.participant_add(meeting=meeting, data={"person": subject})
        shift = make_shift(make_campaign(business_association, name=f"活動{n}"))
        volunteering_services.signup_create(shift=shift, person=subject, association=business_association)
    notify("general", user=User.objects.get(person=subject), subject="再次通知", body="")
    assert count() == before


def test_every_relation_to_a_person_is_covered_by_an_apps_subject_data():
    """A model added later that points at people must say what it holds about them (or why nothing)."""
    from qiaojia.members.models import DuplicateDismissal

    covered = {part.model for part in rights.subject_data()} | {DuplicateDismissal}
    # A many-to-many table stands for the model that declares the field.
    pointing = {
        rel.related_model._meta.auto_created or rel.related_model
        for rel in Person._meta.get_fields(include_hidden=True)
        if rel.is_relation and rel.auto_created and not rel.concrete
    }
    assert pointing - covered == set()


# --- correction (art. 46) ------------------------------------------------------------------------


def test_a_member_corrects_their_own_contact_data_through_the_versioned_audited_edit(client, subject):
    from qiaojia.members.tests.test_views import edit_data

    user = User.objects.get(person=subject)
    verified_client(client, user)
    url = reverse("members:person-edit", args=[subject.pk])
    page = text_of(client.get(url))
    response = client.post(url, edit_data(subject, page, phone="13800001111", email="new@example.com"))
    assert response.status_code == 302
    stored = Person.objects.get(pk=subject.pk)
    assert stored.phone == "+8613800001111" and stored.email == "new@example.com"
    assert stored.version == subject.version + 1
    row = AuditEntry.objects.filter(
        object_type="members.person", object_id=str(subject.pk), action=AuditAction.UPDATE
    ).latest("id")
    assert row.actor_id == user.pk
    assert row.changes["phone"] == [mask_phone(PHONE), mask_phone("+8613800001111")]
    assert "13800001111" not in json.dumps(row.changes)
    # A second save on the version the member loaded first is refused, not silently applied.
    with pytest.raises(ConflictError):
        services.person_update(person=stored, expected_version=subject.version, data={"email": "x@example.com"})


# --- consent (arts. 15, 44) ----------------------------------------------------------------------


def test_withdrawing_consent_records_who_and_when_and_deletes_the_id_number(client, subject):
    user = User.objects.get(person=subject)
    verified_client(client, user)
    url = reverse("members:person-consent-withdraw", args=[subject.pk])
    audit_before = AuditEntry.objects.count()
    refused = client.post(url, {"version": subject.version})
    assert refused.status_code == 400
    assert Person.objects.get(pk=subject.pk).id_number_hash and AuditEntry.objects.count() == audit_before
    response = client.post(url, {"version": subject.version, "confirm": "on", "note": "ignored"})
    assert response.status_code == 302
    stored = Person.objects.get(pk=subject.pk)
    assert (stored.id_number_encrypted, stored.id_number_hash, stored.id_number_masked, stored.consent_at) == (
        "",
        "",
        "",
        None,
    )
    withdrawal = ConsentWithdrawal.objects.get(person=subject)
    assert withdrawal.recorded_by == user and withdrawal.consent_version == subject.consent_version
    assert withdrawal.consent_given_at == subject.consent_at and withdrawal.note == ""
    rows = AuditEntry.objects.filter(pk__gt=0).order_by("-id")[:2]
    assert {r.object_type for r in rows} == {"members.person", "members.consentwithdrawal"}
    assert all(r.actor_id == user.pk for r in rows) and ID not in json.dumps([r.changes for r in rows])
    assert selectors.person_list(viewer=user, id_number=ID).count() == 0
    page = text_of(client.get(reverse("members:person-detail", args=[subject.pk])))
    assert 'id="consent-state"' in page and "zhengdh" in page
    assert reverse("members:person-consent-withdraw", args=[subject.pk]) not in page


def test_staff_record_a_withdrawal_and_officers_cannot(client, subject, staff_user, officer_of):
    url = reverse("members:person-consent-withdraw", args=[subject.pk])
    verified_client(client, officer_of)
    assert client.post(url, {"version": subject.version, "confirm": "on"}).status_code == 404
    verified_client(client, staff_user)
    assert client.post(url, {"version": subject.version, "confirm": "on", "note": "電話"}).status_code == 302
    withdrawal = ConsentWithdrawal.objects.get(person=subject)
    assert withdrawal.recorded_by == staff_user and withdrawal.note == "電話"
    assert "电话" in text_of(client.get(reverse("members:person-detail", args=[subject.pk])))  # reader's script
    assert client.get(url)["Location"] == reverse("members:person-detail", args=[subject.pk])  # nothing left


def test_a_withdrawal_on_a_stale_page_changes_nothing(subject):
    with pytest.raises(ConflictError):
        rights.consent_withdraw(person=subject, expected_version=subject.version - 1)
    assert Person.objects.get(pk=subject.pk).id_number_hash and not ConsentWithdrawal.objects.exists()


# --- erasure (art. 47) ---------------------------------------------------------------------------


def _found_anywhere(client, viewer, person_pk) -> list[str]:
    """Every way to look a person up: the search (page, suggestions, selector), the people list by name,
    pinyin, initials, English name and phone, the exact ID number, and the duplicates finder."""
    hits = []
    for q in (NAME, "郑定辉", PINYIN, "zheng dinghui", INITIALS, NAME_EN, PHONE, "13912345678", ID):
        if any(e.object_id == person_pk for g in search_selectors.search(viewer=viewer, q=q) for e in g.entries):
            hits.append(f"search {q}")
        if person_pk in selectors.person_list(viewer=viewer, q=q).values_list("pk", flat=True):
            hits.append(f"list {q}")
        if reverse("members:person-detail", args=[person_pk]) in text_of(
            client.get(reverse("search:search"), {"q": q})
        ):
            hits.append(f"search page {q}")
        if reverse("members:person-detail", args=[person_pk]) in text_of(
            client.get(reverse("search:suggest"), {"q": q})
        ):
            hits.append(f"suggest {q}")
    if selectors.person_list(viewer=viewer, id_number=ID).filter(pk=person_pk).exists():
        hits.append("id number")
    lookup = client.post(reverse("members:person-list"), {"id_number": ID}, follow=True)
    if reverse("members:person-detail", args=[person_pk]) in text_of(lookup):
        hits.append("id lookup page")
    if SearchEntry.objects.filter(
        id__in=get_backend().trigram_ids("person", "郑定辉", cap=10), object_id=person_pk
    ).exists():
        hits.append("trigram index")
    if any(person_pk in (c.low_id, c.high_id) for c in duplicate_candidates()):
        hits.append("duplicates")
    return hits


def test_an_erased_person_is_unfindable_and_their_associations_report_still_reads(
    client, subject, admin_user, staff_user, business_association, other_association
):
    make_priorities()
    report = make_report(business_association)
    report = cycle_services.report_submit(report=report, expected_version=report.version)
    report = cycle_services.report_accept(report=report, expected_version=report.version)
    # Someone registered twice: same name and phone, in another association.
    twin = services.member_add(
        association=other_association,
        person_data={"name": NAME, "phone": PHONE},
        membership_data={"joined_on": datetime.date(2022, 1, 1)},
    )
    user = User.objects.get(person=subject)
    member_session = verified_client(Client(), user)
    staff = verified_client(Client(), staff_user)
    before = _found_anywhere(staff, staff_user, subject.pk)
    assert {"search 鄭定輝", "list zhengdinghui", "search page zdh", "id lookup page", "duplicates"} <= set(before)

    verified_client(client, admin_user)
    url = reverse("members:person-erase", args=[subject.pk])
    assert NAME in text_of(client.get(url))
    response = client.post(url, {"version": subject.version, "reason": "request", "record_number": str(subject.pk)})
    assert response.status_code == 302

    assert _found_anywhere(staff, staff_user, subject.pk) == []
    assert not SearchEntry.objects.filter(kind="person", object_id=subject.pk).exists()
    label = rights.erased_label(subject.pk)
    erased = Person.objects.get(pk=subject.pk)
    assert erased.name == label and erased.erased_at is not None
    assert (
        erased.name_en,
        erased.phone,
        erased.email,
        erased.id_number_encrypted,
        erased.id_number_hash,
        erased.id_number_masked,
        erased.birth_date,
        erased.name_pinyin,
        erased.name_initials,
    ) == ("", "", "", "", "", "", None, "", "")
    # What points at the person still reads, under the label.
    assert Membership.objects.filter(person=erased).count() == 1
    members_page = text_of(staff.get(reverse("members:person-list"), {"association": business_association.pk}))
    assert label in members_page and NAME not in members_page
    detail = text_of(staff.get(reverse("members:person-detail", args=[subject.pk])))
    assert 'id="erased-notice"' in detail and NAME not in detail and "董事長" not in detail
    assert staff.get(reverse("members:person-edit", args=[subject.pk])).status_code == 404
    assert staff.get(reverse("cycle:report-detail", args=[report.pk])).status_code == 200
    declaration = text_of(staff.get(reverse("cycle:report-declaration", args=[report.pk])))
    assert label in declaration and NAME not in declaration
    compilation = documents.compilation_html(year=report_year(), script="zh-hans")
    assert "河南省侨商联合会" in compilation and NAME not in compilation
    meeting = erased.meeting_participations.get().meeting
    meeting_page = text_of(staff.get(reverse("meetings:meeting-detail", args=[meeting.pk])))
    assert label in meeting_page and NAME not in meeting_page
    # Their account is closed and emptied, their session ended.
    account = User.objects.get(pk=user.pk)
    assert (account.username, account.email, account.is_active, account.has_usable_password()) == (
        f"erased-{user.pk}",
        "",
        False,
        False,
    )
    assert member_session.get(reverse("members:person-detail", args=[subject.pk])).status_code == 302
    assert not Notification.objects.filter(recipient=account).exists()
    # No audit row keeps their data; one row records the erasure, with none either.
    secrets = [
        NAME,
        NAME_EN,
        PHONE,
        "13912345678",
        mask_phone(PHONE),
        format_phone_national(PHONE),
        EMAIL,
        ID,
        mask_id_number(ID),
        "董事長",
        "zhengdh",
    ]
    twins_rows = Q(object_type="members.person", object_id=str(twin.person_id)) | Q(
        object_type="members.membership", object_id=str(twin.pk)
    )
    for entry in AuditEntry.objects.exclude(twins_rows):
        text = json.dumps([entry.object_repr, entry.actor_username, entry.changes], ensure_ascii=False)
        assert not [s for s in secrets if s in text], text
    erasure = AuditEntry.objects.latest("id")
    assert erasure.actor_id == admin_user.pk and erasure.object_id == str(subject.pk)
    assert erasure.changes["reason"] == "request" and erasure.changes["records"]["meetings.participations"] == 1
    assert erasure.changes["audit_rows_pseudonymised"] > 5
    for username in ("zhengdh", f"erased-{user.pk}"):
        attempt = Client()
        attempt.post(reverse("accounts:login"), {"username": username, "password": TEST_PASSWORD})
        assert "_auth_user_id" not in attempt.session


def test_erasure_is_the_administrators_and_needs_the_typed_record_number(client, subject, staff_user, admin_user):
    url = reverse("members:person-erase", args=[subject.pk])
    verified_client(client, staff_user)
    assert (
        client.post(
            url, {"version": subject.version, "reason": "request", "record_number": str(subject.pk)}
        ).status_code
        == 404
    )
    verified_client(client, admin_user)
    audit_before = AuditEntry.objects.count()
    for wrong in ({"record_number": str(subject.pk + 1)}, {"record_number": ""}, {"reason": "bored"}):
        data = {"version": subject.version, "reason": "request", "record_number": str(subject.pk), **wrong}
        assert client.post(url, data).status_code == 400
    assert AuditEntry.objects.count() == audit_before
    # Someone changed the record after the page was opened: the erasure waits for a second look.
    services.person_update(person=subject, expected_version=subject.version, data={"public_title": "會長"})
    stale = client.post(url, {"version": subject.version, "reason": "request", "record_number": str(subject.pk)})
    assert stale.status_code == 409
    stored = Person.objects.get(pk=subject.pk)
    assert stored.erased_at is None and stored.name == NAME
    assert (
        client.post(
            url, {"version": stored.version, "reason": "consent", "record_number": f"#{subject.pk}"}
        ).status_code
        == 302
    )
    assert client.get(url).status_code == 404  # erased once, for good
    with translation.override("en"), pytest.raises(ValidationError, match="already erased"):
        rights.person_erase(person=stored, expected_version=stored.version + 1, reason="request")


def test_the_person_page_offers_each_role_only_its_own_rights(client, subject, staff_user, admin_user, officer_of):
    user = User.objects.get(person=subject)
    links = {
        "download": reverse("members:person-data", args=[subject.pk]),
        "withdraw": reverse("members:person-consent-withdraw", args=[subject.pk]),
        "erase": reverse("members:person-erase", args=[subject.pk]),
    }
    expected = {
        user: {"download", "withdraw"},
        staff_user: {"download", "withdraw"},
        admin_user: {"download", "withdraw", "erase"},
        officer_of: set(),
    }
    for viewer, shown in expected.items():
        verified_client(client, viewer)
        page = text_of(client.get(reverse("members:person-detail", args=[subject.pk])))
        assert {name for name, url in links.items() if url in page} == shown, viewer.username
        assert ('id="personal-data-section"' in page) == bool(shown)


def test_every_field_of_a_person_is_either_erased_or_kept_on_purpose():
    fields = {f.name for f in Person._meta.concrete_fields}
    assert fields == set(rights.ERASED_VALUES) | set(rights.KEPT_FIELDS)


def test_erasure_rewrites_the_records_merged_into_the_person(subject, make_person, business_association):
    twin = make_person("鄭定辉", association=business_association, phone="+8613700001234")
    twin_id = twin.pk
    merged = Person.objects.get(pk=subject.pk)
    services.person_merge(survivor=merged, duplicate=twin)
    merged.refresh_from_db()
    rights.person_erase(person=merged, expected_version=merged.version, reason="request")
    assert AuditEntry.objects.filter(object_type="members.person", object_id=str(twin_id)).exists()
    # Including the rows of the twin's membership, collapsed into the survivor's by the merge.
    for entry in AuditEntry.objects.all():
        text = json.dumps([entry.object_repr, entry.changes], ensure_ascii=False)
        assert "鄭定辉" not in text and "13700001234" not in text and "137****1234" not in text
    merge = merged.merges.get()
    assert merge.merged_name == rights.erased_label(subject.pk) and merge.merged_snapshot == {}


def test_erasure_keeps_a_delegations_phone_that_is_not_the_persons(subject, business_association):
    from qiaojia.events.models import Delegation

    delegation = Delegation.objects.get(leader=subject)
    Delegation.objects.filter(pk=delegation.pk).update(contact_phone="+8637160000000")
    rights.person_erase(person=subject, expected_version=subject.version, reason="purpose")
    delegation.refresh_from_db()
    assert delegation.leader_name == rights.erased_label(subject.pk)
    assert delegation.contact_phone == "+8637160000000"


def test_sessions_of_other_users_survive_an_erasure(subject, staff_user):
    staff = verified_client(Client(), staff_user)
    rights.person_erase(person=subject, expected_version=subject.version, reason="request")
    assert Session.objects.filter(expire_date__gt=timezone.now()).exists()
    assert staff.get(reverse("members:person-list")).status_code == 200


def test_rebuilding_the_search_index_does_not_bring_an_erased_person_back(subject, staff_user):
    from qiaojia.search.services import reindex

    rights.person_erase(person=subject, expected_version=subject.version, reason="request")
    reindex(kinds=["person"])
    assert not SearchEntry.objects.filter(kind="person", object_id=subject.pk).exists()
    groups = search_selectors.search(viewer=staff_user, q=rights.erased_label(subject.pk))
    assert not next(g for g in groups if g.kind == "person").entries
