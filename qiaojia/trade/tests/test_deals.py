"""Introductions (對接), signed projects, the rate table, the annual report's figures and the weekly digest."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from qiaojia.accounts.models import Role
from qiaojia.cycle import figures
from qiaojia.cycle import services as cycle_services
from qiaojia.members import services as member_services
from qiaojia.notifications.models import Notification
from qiaojia.trade import selectors_deals, services_deals
from qiaojia.trade.models import OfferKind
from qiaojia.trade.models_deals import DigestSetting, IntroductionStage, ProjectKind, ProjectStage

from .test_services import enterprise_of
from .world import make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(business_association, other_association, officer_of, officer_of_other, make_user):
    """A need of the business association (posted by its officer) and an enterprise of the other association
    whose contact has an account, with a published offer."""
    contact = member_services.person_create(data={"name": "林嘉怡", "phone": "13800000001", "email": "lin@example.com"})
    enterprise = enterprise_of(other_association, "吉隆坡光伏貿易有限公司", 701)
    member_services.enterprise_update(
        enterprise=enterprise, expected_version=enterprise.version, data={"representative": contact}
    )
    enterprise.refresh_from_db()
    contact_user = make_user("lin", Role.MEMBER, person=contact)
    need = make_offer(business_association, by=officer_of, status="published", title="寻求太阳能电池板供应商")
    offer = make_offer(
        other_association,
        enterprise=enterprise,
        by=officer_of_other,
        status="published",
        kind=OfferKind.SUPPLY,
        title="供應太陽能電池板",
    )
    return need, offer, enterprise, contact_user


def test_contact_details_are_exchanged_only_when_the_poster_accepts(pair, officer_of, other_association):
    need, offer, enterprise, contact_user = pair
    introduction = services_deals.interest_express(
        offer=need, association=other_association, enterprise=enterprise, message="我們可以供貨。", by=contact_user
    )
    assert introduction.stage == IntroductionStage.PROPOSED
    assert selectors_deals.introduction_contacts(viewer=officer_of, introduction=introduction) == {}
    assert selectors_deals.offer_contact(viewer=contact_user, offer=need) is None
    assert Notification.objects.filter(kind="trade.interest_expressed", recipient=officer_of).exists()
    with pytest.raises(ValidationError):
        services_deals.interest_express(
            offer=need, association=other_association, enterprise=enterprise, message="再來一次", by=contact_user
        )

    accepted = services_deals.introduction_answer(
        introduction=introduction, expected_version=introduction.version, sides={"b"}, accept=True, by=officer_of
    )
    assert accepted.stage == IntroductionStage.INTRODUCED
    contacts = selectors_deals.introduction_contacts(viewer=officer_of, introduction=accepted)
    assert contacts["a"].phone.endswith("13800000001") and contacts["a"].email == "lin@example.com"
    assert selectors_deals.offer_contact(viewer=contact_user, offer=need).organisation == need.association.name
    assert Notification.objects.filter(kind="trade.introduction_answered", recipient=contact_user).exists()


def test_a_declined_interest_exchanges_nothing_and_ends_the_case(pair, officer_of, other_association):
    need, offer, enterprise, contact_user = pair
    introduction = services_deals.interest_express(
        offer=need, association=other_association, enterprise=enterprise, message="有興趣", by=contact_user
    )
    declined = services_deals.introduction_answer(
        introduction=introduction, expected_version=introduction.version, sides={"b"}, accept=False, by=officer_of
    )
    assert declined.stage == IntroductionStage.DECLINED
    assert selectors_deals.introduction_contacts(viewer=contact_user, introduction=declined) == {}
    with pytest.raises(ValidationError):
        services_deals.introduction_move(
            introduction=declined, expected_version=declined.version, stage=IntroductionStage.MET
        )


def test_a_brokered_introduction_waits_for_both_sides_and_moves_through_its_stages(
    pair, staff_user, officer_of, officer_of_other
):
    need, offer, enterprise, contact_user = pair
    introduction = services_deals.introduction_broker(first=need, second=offer, message="兩家很合適", by=staff_user)
    assert {n.recipient for n in Notification.objects.filter(kind="trade.introduction_proposed")} >= {
        officer_of,
        officer_of_other,
        contact_user,
    }
    one = services_deals.introduction_answer(
        introduction=introduction, expected_version=introduction.version, sides={"a"}, accept=True, by=officer_of
    )
    assert one.stage == IntroductionStage.PROPOSED
    assert selectors_deals.introduction_contacts(viewer=staff_user, introduction=one) == {}
    both = services_deals.introduction_answer(
        introduction=one, expected_version=one.version, sides={"b"}, accept=True, by=contact_user
    )
    assert both.stage == IntroductionStage.INTRODUCED
    met = services_deals.introduction_move(
        introduction=both, expected_version=both.version, stage=IntroductionStage.MET, note="在鄭州見面", by=staff_user
    )
    with pytest.raises(ValidationError):
        services_deals.introduction_move(introduction=met, expected_version=met.version, stage="proposed")
    history = [(n.stage, n.text) for n in selectors_deals.introduction_notes(introduction=met)]
    assert history[0] == (IntroductionStage.PROPOSED, "兩家很合適") and history[-1] == ("met", "在鄭州見面")


def test_a_project_from_an_introduction_marks_it_signed_and_counts_in_yuan_and_in_the_annual_report(
    pair, staff_user, officer_of, business_association
):
    need, offer, enterprise, contact_user = pair
    introduction = services_deals.introduction_broker(first=need, second=offer, message="對接", by=staff_user)
    for side in ("a", "b"):
        introduction = services_deals.introduction_answer(
            introduction=introduction, expected_version=introduction.version, sides={side}, accept=True
        )
    services_deals.rate_create(currency="USD", rate=Decimal("7.1"), effective_from=datetime.date(2024, 1, 1))
    services_deals.rate_create(currency="USD", rate=Decimal("7.2"), effective_from=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services_deals.rate_create(currency="USD", rate=Decimal("7.3"), effective_from=datetime.date(2025, 1, 1))
    year = timezone.localdate().year
    project = services_deals.project_create(
        association=business_association,
        introduction=introduction,
        data={
            "title": "光伏組件採購項目",
            "parties": "甲方\n乙方",
            "kind": ProjectKind.TRADE,
            "amount": Decimal("1000000"),
            "currency": "USD",
            "city": "鄭州",
            "signed_on": datetime.date(year, 1, 15),
        },
        by=staff_user,
    )
    introduction.refresh_from_db()
    assert introduction.stage == IntroductionStage.SIGNED
    assert project.stage == ProjectStage.SIGNED
    totals = selectors_deals.project_totals(selectors_deals.project_list(viewer=staff_user))
    assert totals.count == 1 and totals.yuan == Decimal("7200000.00") and totals.unconverted == 0
    with pytest.raises(ValidationError):  # a Henan city or a country abroad, one of them
        services_deals.project_create(
            association=business_association,
            data={
                **{"title": "x", "parties": "x", "kind": "trade", "amount": 1, "currency": "CNY"},
                "signed_on": datetime.date(year, 2, 1),
                "city": "",
                "country": "",
            },  # fmt: skip
        )
    moved = services_deals.project_follow_up(
        project=project, expected_version=project.version, stage=ProjectStage.STARTED, note="已開工"
    )
    assert moved.stage == ProjectStage.STARTED and moved.notes.count() == 1

    report = cycle_services.report_start(association=business_association, year=year)
    assert report.work_figures == {"projects_signed": 1, "projects_amount": "7200000.00"}
    with translation.override("en"):
        labels = [str(f.label) for f, _v in figures.labelled(report.work_figures)]
    assert labels == ["Projects signed", "Contract amount of projects signed (yuan)"]


def test_officers_of_a_third_association_see_no_introduction_and_no_project(
    pair, staff_user, make_user, federation, liaison_department, business_association
):
    from conftest import _association

    need, offer, enterprise, contact_user = pair
    third = _association(federation, liaison_department, "河南省僑界青年聯合會")
    outsider = make_user("third", Role.OFFICER, associations=[third])
    introduction = services_deals.introduction_broker(first=need, second=offer, message="對接", by=staff_user)
    assert not selectors_deals.introduction_scope(outsider).filter(pk=introduction.pk).exists()
    assert selectors_deals.introduction_scope(contact_user).filter(pk=introduction.pk).exists()


def test_the_weekly_digest_tells_the_poster_of_new_matches_unless_switched_off(pair, officer_of, officer_of_other):
    need, offer, enterprise, contact_user = pair
    told = services_deals.digest_send()
    assert told >= 2
    assert Notification.objects.filter(kind="trade.weekly_digest", recipient=officer_of).exists()
    assert services_deals.digest_send() == 0  # not twice in a week
    DigestSetting.objects.all().update(last_sent_at=None)
    services_deals.digest_setting_save(user=officer_of, weekly=False)
    Notification.objects.filter(kind="trade.weekly_digest").delete()
    call_command("trade_digest")
    assert not Notification.objects.filter(kind="trade.weekly_digest", recipient=officer_of).exists()
    assert Notification.objects.filter(kind="trade.weekly_digest", recipient=officer_of_other).exists()
