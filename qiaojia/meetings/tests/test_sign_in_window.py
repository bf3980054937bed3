"""The meeting's page, its sign-in sheet and the participants' sign-in page say when sign-in opens and
closes, not only that it is closed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from conftest import verified_client
from qiaojia.meetings import tokens

from .world import make_meeting

pytestmark = pytest.mark.django_db


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _window_box(page: str) -> str:
    start = page.index('id="sign-in-window"')
    return page[start : page.index("</div>", start)]


def test_the_meeting_page_says_when_sign_in_opens_and_why(client, staff_user, federation):
    meeting = make_meeting(None, starts_at=timezone.now() + datetime.timedelta(hours=5))
    opens, closes = tokens.sign_in_window(meeting)
    assert opens == meeting.starts_at - datetime.timedelta(hours=3)
    verified_client(client, staff_user)
    for url in (
        reverse("meetings:meeting-detail", args=[meeting.pk]),
        reverse("meetings:meeting-sign-in-sheet", args=[meeting.pk]),
    ):
        box = _window_box(client.get(url).content.decode())
        assert gettext("Sign-in opens at %(opens)s.") % {"opens": _when(opens)} in box, url
        # The hours before the start and after the end.
        assert (
            gettext(
                "Participants can sign in from %(before)s hours before the meeting starts "
                "until %(after)s hours after it ends."
            )
            % {"before": 3, "after": 12}
            in box
        )


def test_the_participants_page_explains_a_window_not_yet_open_and_one_closed(client, federation):
    early = make_meeting(None, starts_at=timezone.now() + datetime.timedelta(days=2))
    box = _window_box(client.get(reverse("meetings:sign-in", args=[tokens.make_token(early)])).content.decode())
    assert gettext("Sign-in opens at %(opens)s.") % {"opens": _when(tokens.sign_in_window(early)[0])} in box
    assert 'id="sign-in-button"' not in box

    past = make_meeting(None, starts_at=timezone.now() - datetime.timedelta(days=2))
    page = client.get(reverse("meetings:sign-in", args=[tokens.make_token(past)])).content.decode()
    box = _window_box(page)
    assert gettext("Sign-in closed at %(closes)s.") % {"closes": _when(tokens.sign_in_window(past)[1])} in box
    assert gettext("Ask the organisers at the desk to record your attendance.") in box
    assert 'id="sign-in-button"' not in page


def test_an_open_window_says_until_when(client, staff_user, fed_meeting):
    verified_client(client, staff_user)
    box = _window_box(client.get(reverse("meetings:meeting-detail", args=[fed_meeting.pk])).content.decode())
    assert (
        gettext("Sign-in is open until %(closes)s.") % {"closes": _when(tokens.sign_in_window(fed_meeting)[1])} in box
    )
