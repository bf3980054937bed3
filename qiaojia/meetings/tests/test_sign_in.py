import datetime
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
    return services.participant_add(meeting=fed_meeting, data={
        "role": ParticipantRole.ON_BEHALF, "name": "鄭定輝", "association": business_association})


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
    token = _old_token({"m": fed_meeting.pk, "k": fed_meeting.sign_in_key, "p": invitee.pk},
                       days=tokens.MAX_AGE.days + 1)
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
    participant = services.participant_add(meeting=meeting, data={
        "role": ParticipantRole.ATTENDS, "name": "王來賓"})
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
