import datetime
import re
import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from qiaojia.core.models import AuditEntry
from qiaojia.meetings import services, tokens
from qiaojia.meetings.models import Participant, ParticipantRole, SignInMethod

from .world import make_meeting

pytestmark = pytest.mark.django_db


def _old_token(payload, *, days: int) -> str:
    """A token signed `days` ago: the signer's clock is set back, the signature is genuine."""

    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)

    return PastSigner(salt=tokens.SALT).sign_object(payload, compress=True)


@pytest.fixture
def invitee(fed_meeting, president, business_association):
    return services.participant_add(
        meeting=fed_meeting,
        data={"role": ParticipantRole.ON_BEHALF, "name": "鄭定輝", "association": business_association},
    )


def test_personal_link_signs_in_without_login(client, fed_meeting, invitee):
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting, invitee)])
    page = client.get(url)
    assert page.status_code == 200 and "鄭定輝" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 200, response.content.decode()[-1500:]
    invitee.refresh_from_db()
    assert invitee.signed_in_at is not None and invitee.signed_in_method == SignInMethod.LINK


def test_signing_in_twice_changes_nothing(client, fed_meeting, invitee):
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting, invitee)])
    client.post(url)
    invitee.refresh_from_db()
    first = invitee.signed_in_at
    audits = AuditEntry.objects.filter(object_type="meetings.participant", object_id=str(invitee.pk)).count()
    response = client.post(url)
    assert response.status_code == 200
    invitee.refresh_from_db()
    assert invitee.signed_in_at == first
    assert AuditEntry.objects.filter(object_type="meetings.participant", object_id=str(invitee.pk)).count() == audits
    _, changed = services.participant_sign_in(participant=invitee, method=SignInMethod.STAFF)
    assert changed is False


def test_forged_token_is_refused(client, fed_meeting, invitee):
    token = tokens.make_token(fed_meeting, invitee)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post(reverse("meetings:sign-in", args=[forged]))
    assert response.status_code == 400
    # Another meeting's id in an otherwise well-formed payload signed with a wrong key.
    other = signing.dumps({"m": fed_meeting.pk, "k": fed_meeting.sign_in_key, "p": invitee.pk}, salt="wrong")
    assert client.post(reverse("meetings:sign-in", args=[other])).status_code == 400
    invitee.refresh_from_db()
    assert invitee.signed_in_at is None


def test_expired_token_is_refused(client, fed_meeting, invitee):
    token = _old_token(
        {"m": fed_meeting.pk, "k": fed_meeting.sign_in_key, "p": invitee.pk}, days=tokens.MAX_AGE.days + 1
    )
    response = client.post(reverse("meetings:sign-in", args=[token]))
    assert response.status_code == 400
    assert str(tokens.TokenExpired.message) in response.content.decode()
    invitee.refresh_from_db()
    assert invitee.signed_in_at is None


def test_withdrawn_link_is_refused(client, fed_meeting, invitee):
    token = tokens.make_token(fed_meeting, invitee)
    services.meeting_sign_in_reset(meeting=fed_meeting, expected_version=fed_meeting.version)
    assert client.post(reverse("meetings:sign-in", args=[token])).status_code == 400


def test_sign_in_closed_after_the_meeting(client, federation, president, business_association):
    meeting = make_meeting(None, starts_at=timezone.now() - datetime.timedelta(days=2))
    participant = services.participant_add(meeting=meeting, data={"role": ParticipantRole.ATTENDS, "name": "王來賓"})
    response = client.post(reverse("meetings:sign-in", args=[tokens.make_token(meeting, participant)]))
    assert response.status_code == 400
    participant.refresh_from_db()
    assert participant.signed_in_at is None


def test_meeting_link_needs_a_listed_name_and_the_phone_digits(client, fed_meeting, invitee):
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "不在名單"}).status_code == 400
    wrong = client.post(url, {"name": "郑定辉", "phone_last4": "0000"})
    assert wrong.status_code == 400
    invitee.refresh_from_db()
    assert invitee.signed_in_at is None
    right = client.post(url, {"name": "郑定辉", "phone_last4": "5678"})  # Simplified typed, phone +86…5678
    assert right.status_code == 200
    invitee.refresh_from_db()
    assert invitee.signed_in_method == SignInMethod.MEETING_LINK


def test_logged_in_member_signs_in_with_the_meeting_link(client, fed_meeting, invitee, make_user, president):
    from qiaojia.accounts.models import Role

    client.force_login(make_user("zdh", Role.MEMBER, person=president))
    response = client.post(reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)]))
    assert response.status_code == 200
    invitee.refresh_from_db()
    assert invitee.signed_in_method == SignInMethod.ACCOUNT


def test_staff_mark_and_undo(login, staff_user, fed_meeting, invitee):
    client = login(staff_user)
    url = reverse("meetings:participant-mark", args=[invitee.pk])
    assert client.post(url, {"present": "1"}).status_code == 302
    invitee.refresh_from_db()
    assert invitee.signed_in_method == SignInMethod.STAFF and invitee.signed_in_by == staff_user
    page = client.get(reverse("meetings:meeting-attendance", args=[fed_meeting.pk]))
    assert "鄭定輝" in page.content.decode()
    client.post(url, {"present": "0"})
    assert Participant.objects.get(pk=invitee.pk).signed_in_at is None


# --- guessing at the meeting link (F5) ---------------------------------------------------------


def _guess(client, url, name, digits, address):
    return client.post(url, {"name": name, "phone_last4": digits}, REMOTE_ADDR=address)


def _page_without_values(response) -> str:
    """The page as every failure shows it: without what was typed and the CSRF token."""
    page = re.sub(r'value="[^"]*"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", page)


@pytest.fixture
def limits(settings):
    """Limits wide enough that a test meets only the one it is about."""
    settings.QIAOJIA_SIGN_IN_LIMITS = {"link": (1000, 600), "address": (1000, 600), "participant": (1000, 600)}
    settings.QIAOJIA_SIGN_IN_LOCKOUT = 5
    return settings


def test_guessing_the_phone_digits_from_many_addresses_never_signs_in(client, settings, fed_meeting, invitee):
    """The attack as found: every last-4 in turn at the venue link, each from a new address."""
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    guesses = [f"{n:04d}" for n in range(40)] + ["5678"]  # the right digits come after 40 wrong ones
    answers = [_guess(client, url, "鄭定輝", digits, f"198.51.100.{i}") for i, digits in enumerate(guesses)]
    assert {r.status_code for r in answers} == {400}
    assert all(str(services.SIGN_IN_FAILED) in r.content.decode() for r in answers)
    invitee.refresh_from_db()
    assert invitee.signed_in_at is None
    # Only a few guesses were even checked: the rest met the limit per participant or the lock.
    assert invitee.sign_in_failures <= settings.QIAOJIA_SIGN_IN_LOCKOUT


def test_a_participant_is_locked_after_five_wrong_digits(client, limits, fed_meeting, invitee):
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    for i in range(limits.QIAOJIA_SIGN_IN_LOCKOUT):
        assert _guess(client, url, "鄭定輝", f"{i:04d}", f"198.51.100.{i}").status_code == 400
    invitee.refresh_from_db()
    assert invitee.sign_in_failures == 5 and invitee.sign_in_locked_at is not None
    lock = AuditEntry.objects.filter(
        object_type="meetings.participant", object_id=str(invitee.pk), changes__has_key="sign_in_locked_at"
    ).get()
    assert lock.changes["sign_in_failures"] == [4, 5]
    right = _guess(client, url, "鄭定輝", "5678", "203.0.113.9")
    assert right.status_code == 400 and str(services.SIGN_IN_FAILED) in right.content.decode()
    invitee.refresh_from_db()
    assert invitee.signed_in_at is None
    # The lock is on guessing only: the participant's own link still signs them in.
    own = client.post(reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting, invitee)]))
    assert own.status_code == 200
    invitee.refresh_from_db()
    assert invitee.signed_in_method == SignInMethod.LINK


def test_every_failure_reads_the_same(client, settings, fed_meeting, invitee):
    settings.QIAOJIA_SIGN_IN_LIMITS = {"link": (1000, 600), "address": (3, 600), "participant": (1000, 600)}
    settings.QIAOJIA_SIGN_IN_LOCKOUT = 2
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    for name in ("甲", "乙", "丙"):
        _guess(client, url, name, "0000", "198.51.100.5")
    limited = _guess(client, url, "鄭定輝", "5678", "198.51.100.5")  # right, but from a guesser's address
    not_listed = _guess(client, url, "不在名單", "5678", "198.51.100.1")
    wrong = _guess(client, url, "鄭定輝", "0000", "198.51.100.2")
    _guess(client, url, "鄭定輝", "0001", "198.51.100.3")
    locked = _guess(client, url, "鄭定輝", "5678", "198.51.100.4")
    pages = {"not on the list": not_listed, "wrong digits": wrong, "locked": locked, "rate limited": limited}
    assert {r.status_code for r in pages.values()} == {400}
    assert str(services.SIGN_IN_FAILED) in not_listed.content.decode()
    shown = {_page_without_values(r) for r in pages.values()}
    assert len(shown) == 1, "the pages differ between " + ", ".join(pages)


def test_the_limit_per_participant_holds_across_addresses(client, limits, fed_meeting, invitee):
    from django.core.cache import cache

    limits.QIAOJIA_SIGN_IN_LIMITS = {**limits.QIAOJIA_SIGN_IN_LIMITS, "participant": (3, 600)}
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    for i in range(3):
        _guess(client, url, "鄭定輝", f"{i:04d}", f"198.51.100.{i}")
    assert _guess(client, url, "鄭定輝", "5678", "203.0.113.7").status_code == 400
    invitee.refresh_from_db()
    assert invitee.signed_in_at is None and invitee.sign_in_failures == 3 and invitee.sign_in_locked_at is None
    cache.clear()  # the window passes
    assert _guess(client, url, "鄭定輝", "5678", "203.0.113.7").status_code == 200


def test_the_limit_per_address_stops_one_guesser_only(client, limits, fed_meeting, invitee):
    limits.QIAOJIA_SIGN_IN_LIMITS = {**limits.QIAOJIA_SIGN_IN_LIMITS, "address": (10, 600)}
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    for i in range(10):
        _guess(client, url, f"王{i}號", "0000", "198.51.100.1")
    assert _guess(client, url, "鄭定輝", "5678", "198.51.100.1").status_code == 400
    invitee.refresh_from_db()
    assert invitee.signed_in_at is None and invitee.sign_in_failures == 0
    assert _guess(client, url, "鄭定輝", "5678", "198.51.100.2").status_code == 200


def test_the_limit_per_link_holds_across_addresses(client, limits, fed_meeting, invitee):
    limits.QIAOJIA_SIGN_IN_LIMITS = {**limits.QIAOJIA_SIGN_IN_LIMITS, "link": (20, 600)}
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    for i in range(20):
        _guess(client, url, f"王{i}號", "0000", f"198.51.100.{i}")
    assert _guess(client, url, "鄭定輝", "5678", "203.0.113.1").status_code == 400
    invitee.refresh_from_db()
    assert invitee.signed_in_at is None
    # A new link (staff reset it) starts afresh.
    services.meeting_sign_in_reset(meeting=fed_meeting, expected_version=fed_meeting.version)
    fed_meeting.refresh_from_db()
    fresh = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    assert _guess(client, fresh, "鄭定輝", "5678", "203.0.113.1").status_code == 200


def test_staff_see_a_locked_participant_and_unlock_them(client, limits, login, staff_user, fed_meeting, invitee):
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    for i in range(5):
        _guess(client, url, "鄭定輝", f"{i:04d}", f"198.51.100.{i}")
    staff = login(staff_user)
    page = staff.get(reverse("meetings:meeting-attendance", args=[fed_meeting.pk])).content.decode()
    assert 'id="sign-in-locked"' in page
    unlock = reverse("meetings:participant-unlock", args=[invitee.pk])
    assert unlock in page
    assert staff.post(unlock).status_code == 302
    invitee.refresh_from_db()
    assert invitee.sign_in_locked_at is None and invitee.sign_in_failures == 0
    audit = AuditEntry.objects.filter(object_type="meetings.participant", object_id=str(invitee.pk)).latest("id")
    assert audit.actor_id == staff_user.pk and audit.changes["sign_in_locked_at"][1] is None
    staff.logout()
    assert _guess(client, url, "鄭定輝", "5678", "203.0.113.1").status_code == 200


def test_sign_in_by_personal_code(client, limits, fed_meeting, invitee):
    services.meeting_update(meeting=fed_meeting, expected_version=fed_meeting.version, data={"sign_in_by_code": True})
    other = services.participant_add(meeting=fed_meeting, data={"role": ParticipantRole.ATTENDS, "name": "王來賓"})
    invitee.refresh_from_db()
    assert len(invitee.sign_in_code) == 6 and invitee.sign_in_code != other.sign_in_code
    url = reverse("meetings:sign-in", args=[tokens.make_token(fed_meeting)])
    page = client.get(url).content.decode()
    assert 'name="code"' in page and 'name="phone_last4"' not in page
    # Without the code, a participant the organisers have no phone for cannot be signed in by name alone.
    assert client.post(url, {"name": "王來賓"}).status_code == 400
    assert client.post(url, {"name": "鄭定輝", "code": "5678"}).status_code == 400
    assert client.post(url, {"name": "鄭定輝", "code": other.sign_in_code}).status_code == 400
    typed = " ".join(invitee.sign_in_code.lower())  # as read off paper
    assert client.post(url, {"name": "鄭定輝", "code": typed}).status_code == 200
    invitee.refresh_from_db()
    assert invitee.signed_in_method == SignInMethod.MEETING_LINK


def test_the_invitation_carries_the_personal_code(fed_meeting, invitee, make_user, president):
    from qiaojia.accounts.models import Role
    from qiaojia.notifications.models import Notification

    make_user("zdh", Role.MEMBER, person=president)
    services.meeting_update(meeting=fed_meeting, expected_version=fed_meeting.version, data={"sign_in_by_code": True})
    fed_meeting.refresh_from_db()
    assert services.meeting_invite(meeting=fed_meeting, base_url="https://qiaojia.example.org") == 1
    invitee.refresh_from_db()
    assert invitee.sign_in_code in Notification.objects.get(kind="meetings.invitation").body
