"""The pages of introductions and signed projects: who sees what, contact details only after acceptance
(on the pages, in the exports, in search), and bounded queries."""

import datetime

import pytest
from django.urls import reverse

from conftest import verified_client
from qiaojia.accounts.models import Role
from qiaojia.members import services as member_services
from qiaojia.search.selectors import search
from qiaojia.trade import services_deals
from qiaojia.trade.models import OfferKind
from qiaojia.trade.models_deals import Introduction, IntroductionStage, SignedProject

from .test_services import enterprise_of
from .world import make_offer

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
EMAIL = "secret-contact@example.com"


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.fixture
def setup(business_association, other_association, officer_of, officer_of_other, make_user):
    contact = member_services.person_create(data={"name": "林嘉怡", "phone": PHONE, "email": EMAIL})
    enterprise = enterprise_of(other_association, "吉隆坡光伏貿易有限公司", 801)
    member_services.enterprise_update(
        enterprise=enterprise, expected_version=enterprise.version, data={"representative": contact}
    )
    contact_user = make_user("lin", Role.MEMBER, person=contact)
    need = make_offer(business_association, by=officer_of, status="published", title="寻求太阳能电池板供应商")
    make_offer(other_association, enterprise=enterprise, status="published", kind=OfferKind.SUPPLY, title="供應光伏板")
    return need, enterprise, contact_user


def test_interest_accepted_on_the_pages_shows_contact_details_only_then(client, setup, officer_of, other_association):
    need, enterprise, contact_user = setup
    verified_client(client, contact_user)
    page = body(client.get(reverse("trade:offer-detail", args=[need.pk])))
    assert 'id="express-interest"' in page
    form = client.get(reverse("trade:interest-create", args=[need.pk])).context["form"]
    response = client.post(
        reverse("trade:interest-create", args=[need.pk]),
        {
            "posting": form.fields["posting"].choices[0][0],
            "message": "我們可以供貨。",
            "form_token": form["form_token"].value(),
        },
    )
    assert response.status_code == 302
    introduction = Introduction.objects.get()

    client.logout()
    verified_client(client, officer_of)
    detail = reverse("trade:introduction-detail", args=[introduction.pk])
    for url in (detail, reverse("trade:introduction-list"), reverse("trade:introduction-export")):
        text = body(client.get(url))
        assert PHONE not in text and EMAIL not in text
    found = [e.title for g in search(viewer=officer_of, q="林嘉怡") for e in g.entries]
    assert "林嘉怡" not in " ".join(found)  # the contact is not found through the trade pages' search
    response = client.post(
        reverse("trade:introduction-answer", args=[introduction.pk]),
        {"version": introduction.version, "answer": "accept"},
    )
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.stage == IntroductionStage.INTRODUCED
    text = body(client.get(detail))
    assert PHONE in text and EMAIL in text
    assert PHONE not in body(client.get(reverse("trade:introduction-export")))  # exports never carry them

    client.logout()
    verified_client(client, contact_user)
    page = body(client.get(reverse("trade:offer-detail", args=[need.pk])))
    assert 'data-contact="b"' in page


def test_an_officer_of_another_association_sees_neither_the_case_nor_the_contacts(
    client, setup, officer_of, other_association, make_user, federation, liaison_department
):
    from conftest import _association

    need, enterprise, contact_user = setup
    introduction = services_deals.interest_express(
        offer=need, association=other_association, enterprise=enterprise, message="有興趣"
    )
    services_deals.introduction_answer(
        introduction=introduction, expected_version=introduction.version, sides={"b"}, accept=True
    )
    third = _association(federation, liaison_department, "河南省僑界青年聯合會")
    outsider = make_user("third", Role.OFFICER, associations=[third])
    verified_client(client, outsider)
    assert client.get(reverse("trade:introduction-detail", args=[introduction.pk])).status_code == 404
    text = body(client.get(reverse("trade:offer-detail", args=[need.pk])))
    assert PHONE not in text and EMAIL not in text
    assert "寻求太阳能电池板供应商" not in body(client.get(reverse("trade:introduction-list")))


def test_staff_record_a_project_and_the_lists_run_bounded_queries(
    client, setup, staff_user, business_association, django_assert_max_num_queries
):
    need, enterprise, contact_user = setup
    verified_client(client, staff_user)
    form = client.get(reverse("trade:project-create")).context["form"]
    response = client.post(
        reverse("trade:project-create"),
        {
            "association": str(business_association.pk),
            "title": "光伏板採購項目",
            "parties": "甲\n乙",
            "kind": "trade",
            "amount": "500000",
            "currency": "CNY",
            "city": "鄭州",
            "signed_on": datetime.date.today().isoformat(),
            "form_token": form["form_token"].value(),
        },
    )
    assert response.status_code == 302, body(response)
    project = SignedProject.objects.get()
    bad = client.post(reverse("trade:project-create"), {"association": str(business_association.pk), "title": ""})
    assert bad.status_code == 400 and SignedProject.objects.count() == 1
    assert "光伏板採購項目" in [e.title for g in search(viewer=staff_user, q="光伏板採購") for e in g.entries]
    for i in range(5):
        services_deals.project_create(
            association=business_association,
            data={
                "title": f"項目{i}",
                "parties": "甲",
                "kind": "trade",
                "amount": 1,
                "currency": "USD",
                "country": "MY",
                "signed_on": datetime.date(2025, 1, i + 1),
            },  # fmt: skip
        )
    services_deals.interest_express(
        offer=need, association=enterprise.trade_offers.first().association, enterprise=enterprise, message="興趣"
    )
    for url in (
        reverse("trade:project-list"),
        reverse("trade:introduction-list"),
        reverse("trade:project-detail", args=[project.pk]),
        reverse("trade:rate-list"),
        reverse("trade:offer-detail", args=[need.pk]),
    ):
        with django_assert_max_num_queries(22):
            assert client.get(url).status_code == 200
    introduction = Introduction.objects.first()
    with django_assert_max_num_queries(22):
        assert client.get(reverse("trade:introduction-detail", args=[introduction.pk])).status_code == 200
    exported = body(client.get(reverse("trade:project-export")))
    assert "光伏板採購項目" in exported
