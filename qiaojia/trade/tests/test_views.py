import datetime

import pytest
from django.urls import reverse

from conftest import make_credit_code, verified_client
from qiaojia.accounts.models import Role
from qiaojia.core.chinese import to_script
from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel
from qiaojia.trade import services
from qiaojia.trade.models import Offer, OfferKind, OfferStatus

from .world import make_offer

pytestmark = pytest.mark.django_db


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.fixture
def items(business_association, other_association):
    a_published = make_offer(business_association, status="published", title="甲会光伏采购需求", public=True)
    a_draft = make_offer(business_association, title="甲会草稿需求")
    b_published = make_offer(other_association, status="published", kind=OfferKind.SUPPLY, title="乙会光伏组件供应")
    b_draft = make_offer(other_association, title="乙会草稿秘密")
    b_submitted = make_offer(other_association, status="submitted", title="乙会待审核")
    return a_published, a_draft, b_published, b_draft, b_submitted


def test_an_officer_sees_other_associations_published_items_but_not_their_drafts(client, officer_of, items):
    a_published, a_draft, b_published, b_draft, b_submitted = items
    verified_client(client, officer_of)
    text = body(client.get(reverse("trade:offer-list")))
    assert "甲会光伏采购需求" in text and "甲会草稿需求" in text and "乙会光伏组件供应" in text
    assert "乙会草稿秘密" not in text and "乙会待审核" not in text
    assert client.get(reverse("trade:offer-detail", args=[b_published.pk])).status_code == 200
    assert client.get(reverse("trade:offer-detail", args=[b_draft.pk])).status_code == 404
    assert client.get(reverse("trade:offer-detail", args=[b_submitted.pk])).status_code == 404
    exported = body(client.get(reverse("trade:offer-export")))
    assert "乙会光伏组件供应" in exported and "乙会草稿秘密" not in exported


def test_a_published_item_never_shows_who_posted_it_to_another_association(client, officer_of_other, items):
    a_published = items[0]
    enterprise = member_services.enterprise_create(data={"name": "甲會秘密企業", "credit_code": make_credit_code(611)})
    member_services.membership_create(
        association=a_published.association,
        enterprise=enterprise,
        data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2020, 1, 1)},
    )
    Offer.objects.filter(pk=a_published.pk).update(enterprise=enterprise)
    verified_client(client, officer_of_other)
    text = body(client.get(reverse("trade:offer-detail", args=[a_published.pk])))
    assert "甲会光伏采购需求" in text and "甲會秘密企業" not in text and 'id="poster"' not in text
    assert 'id="suggestions"' not in text  # the suggestions are the posting side's and staff's


def test_staff_see_suggestions_across_the_province_with_reasons(
    client, staff_user, items, django_assert_max_num_queries
):
    verified_client(client, staff_user)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("trade:match-list"), HTTP_ACCEPT_LANGUAGE="en")
    text = body(response)
    assert response.status_code == 200
    assert "乙会光伏组件供应" in text and "same division C38" in text
    detail = body(client.get(reverse("trade:offer-detail", args=[items[0].pk])))
    assert "乙会光伏组件供应" in detail


@pytest.mark.parametrize("name", ["trade:offer-list", "trade:profile-list", "trade:public-list", "trade:match-list"])
def test_lists_run_a_bounded_number_of_queries(
    client, staff_user, business_association, name, django_assert_max_num_queries
):
    for i in range(30):
        make_offer(business_association, status="published", title=f"光伏供應{i}", public=True, countries=["MY", "TH"])
    for i in range(30):
        enterprise = member_services.enterprise_create(
            data={"name": f"企業{i}", "credit_code": make_credit_code(700 + i)}
        )
        member_services.membership_create(
            association=business_association,
            enterprise=enterprise,
            data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2020, 1, 1)},
        )
        services.profile_save(enterprise=enterprise, data={"division": "38", "listed": True, "countries": ["MY"]})
    verified_client(client, staff_user)
    with django_assert_max_num_queries(30):
        assert client.get(reverse(name)).status_code == 200


def test_detail_pages_run_a_bounded_number_of_queries(client, officer_of, items, django_assert_max_num_queries):
    verified_client(client, officer_of)
    for offer in items[:2]:
        with django_assert_max_num_queries(20):
            assert client.get(reverse("trade:offer-detail", args=[offer.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("trade:public-detail", args=[items[0].pk])).status_code == 200


def test_an_officer_posts_reviews_and_publishes_through_the_pages(client, officer_of, business_association):
    verified_client(client, officer_of)
    page = client.get(reverse("trade:offer-create"))
    assert "C38" in body(page) and 'list="id_division-list"' in body(page)
    today = datetime.date.today()
    form = {
        "form_token": "8d8b1d3c-8a4e-4e56-9c7c-3b3f2f0d0a11",
        "posting": f"{business_association.pk}:",
        "kind": OfferKind.PURCHASE,
        "title": "采购储能电池",
        "description": "需要储能系统。",
        "keywords": "储能",
        "division": "电气机械",
        "countries": ["MY"],
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=90)).isoformat(),
    }
    response = client.post(reverse("trade:offer-create"), form)
    assert response.status_code == 302, body(response)
    offer = Offer.objects.get(title="采购储能电池")
    assert offer.division == "38" and offer.status == OfferStatus.DRAFT
    bad = client.post(
        reverse("trade:offer-create"),
        {**form, "form_token": "1d8b1d3c-8a4e-4e56-9c7c-3b3f2f0d0a11", "division": "不存在的行业"},
    )
    assert bad.status_code == 400 and Offer.objects.count() == 1
    client.post(reverse("trade:offer-submit", args=[offer.pk]), {"version": offer.version})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SUBMITTED
    client.post(reverse("trade:offer-publish", args=[offer.pk]), {"version": offer.version})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED


def test_the_public_listing_shows_opted_in_items_without_personal_data(client, items):
    a_published, _a_draft, b_published, *_ = items
    text = body(client.get(reverse("trade:public-list")))
    assert "甲会光伏采购需求" in text and "乙会光伏组件供应" not in text
    assert client.get(reverse("trade:public-detail", args=[b_published.pk])).status_code == 404


def test_an_enterprise_contact_lists_its_profile_in_the_directory(
    client, make_user, make_person, business_association, officer_of_other
):
    person = make_person("林經理", association=business_association)
    enterprise = member_services.enterprise_create(
        data={"name": "鄭州出海科技有限公司", "credit_code": make_credit_code(640), "representative": person}
    )
    member_services.membership_create(
        association=business_association,
        enterprise=enterprise,
        data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2020, 1, 1)},
    )
    contact = make_user("contact", Role.MEMBER, person=person)
    verified_client(client, contact)
    response = client.post(
        reverse("trade:profile-edit", args=[enterprise.pk]),
        {
            "division": "I65",
            "products": "跨境電商軟件",
            "countries": ["MY"],
            "overseas_presence": "office",
            "listed": "on",
        },
    )
    assert response.status_code == 302, [line for line in body(response).splitlines() if "error" in line]
    assert enterprise.trade_profile.listed and enterprise.trade_profile.division == "65"
    assert client.get(reverse("trade:offer-create")).status_code == 200  # the contact posts for the enterprise
    client.logout()
    verified_client(client, officer_of_other)
    # An enterprise's name follows the reader's script (only people's names are shown as registered).
    assert to_script("鄭州出海科技有限公司", "zh-hans") in body(client.get(reverse("trade:profile-list")))
