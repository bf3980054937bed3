"""Every declared notice kind reaches someone. Each kind is triggered through its app's real service,
once with the responsible department staffed and once with a department that has no staff (then the
federation's administrators hear). A kind declared later without a trigger here fails the test."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from conftest import make_credit_code
from qiaojia.accounts.models import Role
from qiaojia.notifications.kinds import kind_get, kinds
from qiaojia.notifications.models import Notification
from qiaojia.orgs import recipients
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationKind, Department


@dataclass
class World:
    association: Any
    officer: Any
    staff: Any
    admin: Any
    person: Any
    account: Any


TRIGGERS: dict[str, Callable[[World], Any]] = {}


def trigger(*codes: str):
    def declare(function):
        for code in codes:
            TRIGGERS[code] = function
        return function

    return declare


@pytest.fixture(params=["staffed", "no staff"])
def world(request, federation, liaison_department, make_user, make_person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    department = liaison_department
    if request.param == "no staff":
        department = Department.objects.create(federation=federation, name="海外聯絡部")
    association = org_services.association_create(
        federation=federation,
        data={
            "name": "河南省僑界青年聯合會",
            "kind": AssociationKind.YOUTH,
            "supervising_department": department,
            "credit_code": make_credit_code(9001),
            "founded_on": datetime.date(2012, 3, 1),
        },
    )
    person = make_person("柴莉")
    return World(
        association=association,
        officer=make_user("officer", Role.OFFICER, associations=[association]),
        staff=make_user("staff", Role.STAFF, department=liaison_department),
        admin=make_user("admin", Role.ADMIN),
        person=person,
        account=make_user("member", Role.MEMBER, person=person),
    )


@trigger("cycle.submitted", "cycle.returned", "cycle.accepted")
def _report(w: World) -> None:
    from qiaojia.cycle import services
    from qiaojia.cycle.tests.world import make_priorities, make_report

    make_priorities()
    report = services.report_submit(report=(r := make_report(w.association)), expected_version=r.version)
    report = services.report_return(report=report, expected_version=report.version, reason="補充財務報表")
    report = services.report_submit(report=report, expected_version=report.version)
    services.report_accept(report=report, expected_version=report.version)


@trigger("cycle.deadline")
def _reminder(w: World) -> None:
    from qiaojia.cycle import services
    from qiaojia.cycle.tests.world import report_year

    services.report_remind(association=w.association, year=report_year())


@trigger("meetings.invitation")
def _invitation(w: World) -> None:
    from qiaojia.meetings import services
    from qiaojia.meetings.models import ParticipantRole
    from qiaojia.meetings.tests.world import make_meeting

    meeting = make_meeting()
    services.participant_add(meeting=meeting, data={"person": w.person})
    services.participant_add(
        meeting=meeting, data={"role": ParticipantRole.ON_BEHALF, "name": "李來賓", "association": w.association}
    )
    services.meeting_invite(meeting=meeting, base_url="http://testserver/")


@trigger("meetings.joint_scheduled")
def _joint(w: World) -> None:
    from django.utils import timezone

    from qiaojia.meetings import services_joint
    from qiaojia.meetings.tests.world import make_series, third_association

    series = make_series([w.association, third_association()])
    services_joint.joint_meeting_schedule(series=series, data={"starts_at": timezone.now()})


@trigger("activities.co_organiser_invited")
def _co_invited(w: World) -> None:
    from qiaojia.activities import services
    from qiaojia.activities.tests.world import make_activity
    from qiaojia.meetings.tests.world import third_association

    services.co_organiser_invite(activity=make_activity(third_association()), association=w.association)


@trigger("activities.co_organiser_answered")
def _co_answered(w: World) -> None:
    from qiaojia.activities import services
    from qiaojia.activities.models import CoOrganiserStatus
    from qiaojia.activities.tests.world import make_activity
    from qiaojia.meetings.tests.world import third_association

    row = services.co_organiser_invite(activity=make_activity(w.association), association=third_association())
    services.co_organiser_answer(row=row, expected_version=row.version, status=CoOrganiserStatus.CONFIRMED)


@trigger("events.submitted", "events.approved")
def _delegation(w: World) -> None:
    from qiaojia.events import services
    from qiaojia.events.tests.world import make_delegation, make_event

    delegation = make_delegation(make_event(), w.association, submit=True)
    services.delegation_approve(delegation=delegation, expected_version=delegation.version, by_user=w.admin)


@trigger("events.waitlisted")
def _waitlisted(w: World) -> None:
    from qiaojia.events import services
    from qiaojia.events.tests.world import make_delegation, make_event

    delegation = make_delegation(make_event(capacity=1), w.association, members=["王同行"], submit=True)
    services.delegation_approve(delegation=delegation, expected_version=delegation.version, by_user=w.admin)


@trigger("events.refused")
def _refused(w: World) -> None:
    from qiaojia.events import services
    from qiaojia.events.tests.world import make_delegation, make_event

    delegation = make_delegation(make_event(), w.association, submit=True)
    services.delegation_refuse(
        delegation=delegation, expected_version=delegation.version, by_user=w.admin, reason="名額已滿"
    )


@trigger("events.join_requested", "events.join_confirmed", "events.join_declined")
def _join_requests(w: World) -> None:
    from qiaojia.events import services
    from qiaojia.events.tests.world import make_join_event
    from qiaojia.members import services as member_services

    member_services.membership_create(
        association=w.association, person=w.person, data={"joined_on": datetime.date(2024, 5, 1)}
    )
    first, second = make_join_event(), make_join_event(name="2026年拜祖大典", slug="bai-zu-2026")
    asked = services.join_request_create(event=first, association=w.association, person=w.person)
    services.join_request_confirm(request=asked, expected_version=asked.version, by_user=w.officer)
    asked = services.join_request_create(event=second, association=w.association, person=w.person)
    services.join_request_decline(request=asked, expected_version=asked.version, by_user=w.officer, reason="名額已滿")


@trigger("volunteering.hours_confirmed")
def _hours(w: World) -> None:
    from qiaojia.volunteering import services
    from qiaojia.volunteering.tests.world import make_campaign, make_shift

    shift = make_shift(make_campaign(w.association))
    signup = services.signup_create(shift=shift, person=w.person, association=w.association)
    signup = services.hours_record(
        signup=signup, expected_version=signup.version, status="attended", hours=Decimal("2"), by=None
    )
    services.hours_confirm(signup=signup, expected_version=signup.version, by=w.admin)


@trigger("news.submitted", "news.returned", "news.published")
def _article(w: World) -> None:
    from qiaojia.news import services
    from qiaojia.news.tests.world import make_article

    article = make_article(w.association)
    article = services.article_submit(article=article, expected_version=article.version)
    article = services.article_return(
        article=article, expected_version=article.version, reason="請補充照片說明", reviewer=w.admin
    )
    article = services.article_submit(article=article, expected_version=article.version)
    services.article_publish(article=article, expected_version=article.version, reviewer=w.admin)


@trigger("trade.offer_submitted", "trade.offer_returned", "trade.offer_published")
def _offer(w: World) -> None:
    from qiaojia.trade import services
    from qiaojia.trade.tests.world import make_offer

    offer = make_offer(w.association, by=w.officer, status="returned")
    offer = services.offer_submit(offer=offer, expected_version=offer.version)
    services.offer_publish(offer=offer, expected_version=offer.version, by=w.officer)


@trigger(
    "trade.interest_expressed",
    "trade.introduction_proposed",
    "trade.introduction_answered",
    "trade.introduction_moved",
    "trade.weekly_digest",
)
def _introductions(w: World) -> None:
    from qiaojia.trade import services_deals
    from qiaojia.trade.models import OfferKind
    from qiaojia.trade.tests.test_services import enterprise_of
    from qiaojia.trade.tests.world import make_offer

    enterprise = enterprise_of(w.association, "鄭州光伏貿易有限公司", 9101)
    need = make_offer(w.association, by=w.officer, status="published", title="採購光伏組件")
    supply = make_offer(
        w.association,
        enterprise=enterprise,
        by=w.officer,
        status="published",
        kind=OfferKind.SUPPLY,
        title="供應光伏組件",
    )
    services_deals.interest_express(offer=need, association=w.association, enterprise=enterprise, message="有意向")
    case = services_deals.introduction_broker(first=supply, second=need, message="對接")
    for side in ("a", "b"):
        case = services_deals.introduction_answer(
            introduction=case, expected_version=case.version, sides={side}, accept=True
        )
    services_deals.introduction_move(introduction=case, expected_version=case.version, stage="met", note="見面")
    services_deals.digest_send()


@trigger("voice.routed", "voice.answered", "voice.reopened", "voice.due", "voice.overdue")
def _opinion(w: World) -> None:
    from qiaojia.voice import services
    from qiaojia.voice.tests.world import make_opinion

    opinion = make_opinion(channel="member", person=w.person, name=w.person.name, association=w.association)
    opinion = services.opinion_route(
        opinion=opinion, expected_version=opinion.version, reason="屬社團事項", association=w.association
    )
    opinion = services.opinion_reply(opinion=opinion, expected_version=opinion.version, text="已答覆")
    opinion = services.opinion_rate(opinion=opinion, expected_version=opinion.version, rating="not_satisfied")
    opinion = services.opinion_reopen(opinion=opinion, expected_version=opinion.version)
    services.opinions_check_deadlines(today=opinion.answer_due - datetime.timedelta(days=1))
    services.opinions_check_deadlines(today=opinion.answer_due + datetime.timedelta(days=1))


@trigger("trade.b2b_meeting_requested", "trade.b2b_meeting_accepted", "trade.b2b_meeting_declined")
def _b2b_meeting(w: World) -> None:
    from qiaojia.events.tests.world import approve, make_delegation, make_event
    from qiaojia.trade.b2b import services
    from qiaojia.trade.tests.b2b_world import join, open_session, second_enterprise

    event = make_event()
    approve(make_delegation(event, w.association, submit=True))
    session = open_session(event)
    a, b, c = (join(session, second_enterprise(w.association, f"洽談企業{n}"), w.association) for n in range(3))
    first, second = session.slots.order_by("starts_at")[:2]
    declined = services.meeting_request(requester=a, invitee=b, slot=first)
    services.meeting_decline(meeting=declined, expected_version=declined.version)
    accepted = services.meeting_request(requester=a, invitee=c, slot=second)
    services.meeting_accept(meeting=accepted, expected_version=accepted.version)


@trigger("members.pending", "members.asked", "members.decided")
def _pending(w: World) -> None:
    from qiaojia.members import services

    pending = services.pending_membership_create(
        association=w.association,
        person=w.person,
        actor=w.officer,
        submitted={"name": "柴莉"},
        membership_data={"joined_on": datetime.date(2024, 5, 1)},
    )
    services.pending_membership_confirm(pending=pending, actor=w.admin)


@trigger("accounts.locked")
def _locked(w: World) -> None:
    from qiaojia.accounts import services

    services.user_lockout_notify(username=w.officer.username, ip_address="203.0.113.7")


@trigger("general")
def _general(w: World) -> None:
    # The mechanism's own plain notice to one account about its own work.
    from qiaojia.notifications.services import notify

    notify("general", user=w.officer, subject="x", body="")


@trigger("exports.ready")
def _export_ready(w: World) -> None:
    # The export's file is ready for the account that asked for it.
    from qiaojia.exports.services import export_enqueue
    from qiaojia.jobs import services as jobs
    from qiaojia.members.exports import PERSON_EXPORT

    export_enqueue(owner=w.officer, source=PERSON_EXPORT, filters="", fmt="csv", language=None)
    assert jobs.run_pending() >= 1


@pytest.mark.parametrize("code", [kind.code for kind in kinds()])
def test_every_notice_kind_reaches_an_active_user(code, world):
    assert code in TRIGGERS, f"The notice kind {code!r} has no trigger in this test: add one."
    TRIGGERS[code](world)
    told = {n.recipient for n in Notification.objects.filter(kind=code).select_related("recipient")}
    assert told, f"{code}: nobody was told"
    assert all(user.is_active for user in told)
    if kind_get(code).rule is recipients.federation_staff:
        expected = (
            world.staff if world.association.supervising_department_id == world.staff.department_id else world.admin
        )
        assert told == {expected}, f"{code}: the department's staff, or the administrators when it has none"
