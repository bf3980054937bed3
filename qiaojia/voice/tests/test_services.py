import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from qiaojia.accounts.models import Role
from qiaojia.notifications.models import Notification
from qiaojia.voice import selectors, services, workdays
from qiaojia.voice.models import EventKind, Opinion, OpinionCategory, OpinionRoute, OpinionStatus
from qiaojia.voice.tests.world import make_opinion, opinion_data, png


def test_deadline_skips_spring_festival_and_counts_its_swapped_saturday():
    # 2026: Spring Festival holiday 15–23 February; Saturday 14 and Saturday 28 February are working days.
    assert workdays.is_working_day(datetime.date(2026, 2, 14))
    assert not workdays.is_working_day(datetime.date(2026, 2, 16))
    assert workdays.add_working_days(datetime.date(2026, 2, 13), 1) == datetime.date(2026, 2, 14)
    assert workdays.add_working_days(datetime.date(2026, 2, 14), 1) == datetime.date(2026, 2, 24)


def test_deadline_skips_national_day_and_counts_its_swapped_days():
    # 2026: National Day holiday 1–7 October; Sunday 20 September and Saturday 10 October are working days.
    assert workdays.is_working_day(datetime.date(2026, 9, 20))
    assert workdays.is_working_day(datetime.date(2026, 10, 10))
    assert workdays.add_working_days(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)
    # Fifteen working days from 25 September: 28–30 Sep, 8–10 Oct (Sat 10 works), 12–16, 19–22 October.
    assert workdays.add_working_days(datetime.date(2026, 9, 25), 15) == datetime.date(2026, 10, 22)


def test_a_year_the_calendar_does_not_know_counts_monday_to_friday():
    assert workdays.add_working_days(datetime.date(2099, 1, 2), 1) == datetime.date(2099, 1, 5)


@pytest.mark.django_db
def test_opinion_goes_to_its_categorys_handler_and_the_handler_hears(business_association, officer_of):
    OpinionRoute.objects.create(category=OpinionCategory.BUSINESS, association=business_association)
    opinion = make_opinion(category=OpinionCategory.BUSINESS)
    assert opinion.handler_association == business_association
    assert opinion.handler_department is None
    assert len(opinion.code) == 14
    assert Notification.objects.filter(recipient=officer_of, kind="voice.routed").exists()
    assert [e.kind for e in selectors.opinion_timeline(opinion=opinion)] == [EventKind.RECEIVED, EventKind.ROUTED]


@pytest.mark.django_db
def test_without_a_route_the_supervising_department_handles(liaison_department):
    opinion = make_opinion()
    assert opinion.handler_department == liaison_department


@pytest.mark.django_db
def test_public_sender_with_an_address_gets_the_receipt_code_by_email(
    liaison_department, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opinion = make_opinion(email="sender@example.com")
    assert any(opinion.code in m.body and m.to == ["sender@example.com"] for m in mail.outbox)


@pytest.mark.django_db
def test_consent_is_required_and_nothing_is_stored_without_it(liaison_department):
    with pytest.raises(ValidationError):
        make_opinion(consent=False)
    assert not Opinion.objects.exists()


@pytest.mark.django_db
def test_a_script_in_the_attachment_is_refused(liaison_department):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        make_opinion(uploaded=SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png"))
    assert not Opinion.objects.exists()


@pytest.mark.django_db
def test_the_eleventh_public_opinion_from_one_address_in_an_hour_is_refused(
    liaison_department, django_capture_on_commit_callbacks
):
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            services.opinion_submit(
                data=opinion_data(phone=f"1381234{n:04d}"), channel="public", address="198.51.100.7"
            )
    with pytest.raises(services.PublicLimitReached):
        services.opinion_submit(data=opinion_data(phone="13900000000"), channel="public", address="198.51.100.7")
    assert Opinion.objects.count() == 10
    services.opinion_submit(data=opinion_data(phone="13900000001"), channel="public", address="198.51.100.8")


@pytest.mark.django_db
def test_one_contact_is_limited_across_addresses(liaison_department, django_capture_on_commit_callbacks):
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            services.opinion_submit(data=opinion_data(), channel="public", address=f"198.51.100.{n}")
    with pytest.raises(services.PublicLimitReached):
        services.opinion_submit(data=opinion_data(), channel="public", address="198.51.100.99")


@pytest.mark.django_db
def test_the_whole_case_answered_rated_reopened_answered_again(
    liaison_department, staff_user, member_person, member_user
):
    opinion = make_opinion(channel="member", person=member_person, name=member_person.name)
    opinion = services.opinion_acknowledge(opinion=opinion, expected_version=opinion.version, by=staff_user)
    opinion = services.opinion_reply(
        opinion=opinion, expected_version=opinion.version, text="已協調教育局", by=staff_user
    )
    assert opinion.status == OpinionStatus.ANSWERED and opinion.answered_on_time
    assert Notification.objects.filter(recipient=member_user, kind="voice.answered").exists()
    opinion = services.opinion_rate(opinion=opinion, expected_version=opinion.version, rating="not_satisfied")
    opinion = services.opinion_reopen(opinion=opinion, expected_version=opinion.version, reason="仍未解決")
    assert opinion.status == OpinionStatus.REOPENED
    assert Notification.objects.filter(recipient=staff_user, kind="voice.reopened").exists()
    opinion = services.opinion_reply(opinion=opinion, expected_version=opinion.version, text="已辦妥", by=staff_user)
    opinion = services.opinion_rate(opinion=opinion, expected_version=opinion.version, rating="not_satisfied")
    with pytest.raises(ValidationError):
        services.opinion_reopen(opinion=opinion, expected_version=opinion.version)
    with pytest.raises(ValidationError):
        services.opinion_rate(opinion=opinion, expected_version=opinion.version, rating="satisfied")
    ratings = [e.rating for e in selectors.opinion_timeline(opinion=opinion) if e.kind == EventKind.RATED]
    assert ratings == ["not_satisfied", "not_satisfied"]


@pytest.mark.django_db
def test_routing_needs_a_reason_and_is_kept_in_the_timeline(liaison_department, business_association, staff_user):
    opinion = make_opinion()
    with pytest.raises(ValidationError):
        services.opinion_route(
            opinion=opinion, expected_version=opinion.version, reason=" ", association=business_association
        )
    opinion = services.opinion_route(
        opinion=opinion,
        expected_version=opinion.version,
        reason="屬企業事項",
        association=business_association,
        by=staff_user,
    )
    routed = [e for e in selectors.opinion_timeline(opinion=opinion) if e.kind == EventKind.ROUTED]
    assert routed[-1].association == business_association and routed[-1].text == "屬企業事項"


@pytest.mark.django_db
def test_the_deadline_is_extended_once(liaison_department):
    opinion = make_opinion()
    before = opinion.answer_due
    opinion = services.opinion_extend(opinion=opinion, expected_version=opinion.version, reason="需要協調")
    assert opinion.answer_due == workdays.add_working_days(before, 15)
    with pytest.raises(ValidationError):
        services.opinion_extend(opinion=opinion, expected_version=opinion.version, reason="再延")


@pytest.mark.django_db
def test_reminder_before_and_escalation_after_the_deadline(liaison_department, staff_user, make_user):
    admin = make_user("boss", Role.ADMIN)
    opinion = make_opinion()
    reminded, escalated = services.opinions_check_deadlines(today=opinion.answer_due - datetime.timedelta(days=1))
    assert reminded == 1 and escalated == 0
    assert Notification.objects.filter(recipient=staff_user, kind="voice.due").exists()
    reminded, escalated = services.opinions_check_deadlines(today=opinion.answer_due + datetime.timedelta(days=1))
    assert (reminded, escalated) == (0, 1)
    assert Notification.objects.filter(recipient=admin, kind="voice.overdue").exists()
    assert services.opinions_check_deadlines(today=opinion.answer_due + datetime.timedelta(days=2)) == (0, 0)


@pytest.mark.django_db
def test_duplicates_are_found_in_either_script_and_merged(liaison_department, staff_user):
    first = make_opinion(title="僑眷子女入學手續繁瑣")
    second = make_opinion(title="侨眷子女入学手续繁琐")
    assert first in selectors.opinion_similar(viewer=staff_user, opinion=second)
    second = services.opinion_merge(opinion=second, into=first, expected_version=second.version, by=staff_user)
    assert second.status == OpinionStatus.MERGED and second.merged_into == first


@pytest.mark.django_db
def test_the_three_rates_per_handler_and_month(liaison_department, staff_user):
    answered = make_opinion()
    answered = services.opinion_acknowledge(opinion=answered, expected_version=answered.version)
    answered = services.opinion_reply(opinion=answered, expected_version=answered.version, text="已答覆")
    services.opinion_rate(opinion=answered, expected_version=answered.version, rating="basically")
    make_opinion()
    [row] = selectors.opinion_rates(viewer=staff_user)
    assert row.handler == liaison_department.name
    assert (row.received, row.response_rate, row.resolution_rate, row.satisfaction_rate) == (2, 50.0, 50.0, 100.0)


@pytest.mark.django_db
def test_attachment_is_checked_and_kept(liaison_department):
    opinion = make_opinion(uploaded=png())
    assert opinion.attachment.name.startswith("voice/") and opinion.attachment_name == "photo.jpg"


@override_settings(QIAOJIA_VOICE_DEADLINES={"acknowledge": 2, "answer": 5})
@pytest.mark.django_db
def test_deadlines_follow_the_settings(liaison_department):
    opinion = make_opinion()
    received = opinion.received_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).date()
    assert opinion.answer_due == workdays.add_working_days(received, 5)


@pytest.mark.django_db
def test_the_demo_has_invented_cases_in_every_state(federation, business_association, liaison_department):
    from qiaojia.voice.demo import load_voice_demo

    counts = load_voice_demo(federation=federation)
    assert counts == {"opinions": 6, "escalated": 1}
    states = set(Opinion.objects.values_list("status", flat=True))
    assert states == {"new", "acknowledged", "answered", "reopened", "merged"}
    assert Opinion.objects.filter(rating="satisfied").exists()
    assert Opinion.objects.filter(handler_association=business_association).exists()
    assert not Opinion.objects.filter(person__isnull=False).exists()


@pytest.mark.django_db
def test_the_daily_command_escalates_overdue_opinions(liaison_department, staff_user):
    import io

    from django.core.management import call_command

    opinion = make_opinion()
    out = io.StringIO()
    call_command(
        "voice_deadlines", "--today", (opinion.answer_due + datetime.timedelta(days=1)).isoformat(), stdout=out
    )
    assert "1 escalated" in out.getvalue()
    opinion.refresh_from_db()
    assert opinion.escalated_at is not None
