"""A member registers for their association's activity from My page, on a phone, and sees the registration
there; cancelling asks first. Elements are found by id, name and URL."""

import pytest
from django.urls import reverse

from conftest import TEST_PASSWORD
from qiaojia.activities.models import ActivityRegistration, RegistrationStatus
from qiaojia.activities.tests.test_registration import _upcoming

from .conftest import PHONE, no_horizontal_overflow

pytestmark = pytest.mark.browser


def test_member_registers_for_an_activity_and_sees_it_on_my_page(
    new_page, live_server, member_user, business_association
):
    activity = _upcoming(business_association, registration_capacity=5)
    page, _traffic = new_page(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/accounts/login/")  # a member has no second factor: the password alone logs in
    page.locator("#id_username").fill(member_user.username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    page.goto(live_server.url + reverse("home:mine"))
    with page.expect_navigation():
        page.locator("#open-activities-link").click()
    row = page.locator(f"#open-activity-{activity.pk}")
    fits, width, inner = no_horizontal_overflow(page)
    assert fits, f"the open activities scroll sideways on a phone: {width} > {inner}"
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    registration = ActivityRegistration.objects.get(activity=activity, person=member_user.person)
    assert registration.status == RegistrationStatus.REGISTERED

    page.goto(live_server.url + reverse("home:mine"))
    mine = page.locator(f"#my-registration-{registration.pk}")
    assert mine.count() == 1
    assert mine.locator("[data-status=registered]").count() == 1

    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first: dismissing keeps the place
    mine.locator("button[type=submit]").click()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        mine.locator("button[type=submit]").click()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
