"""An association's officers are its people: a president with a term of office and no membership row is
found by the association's own officers (search, suggestions, the people list, his record), in any script,
by pinyin and by initials, and by no one of another association."""

import datetime

import pytest
from django.urls import reverse

from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle


@pytest.fixture
def president(make_person, business_association):
    person = make_person("鄭定輝", phone="+8613912345678")  # no membership anywhere
    org_services.term_create(
        association=business_association,
        data={"person": person, "title": AssociationTitle.PRESIDENT, "starts_on": datetime.date(2023, 6, 1)},
    )
    return person


def _text(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("q", ["郑定辉", "鄭定輝", "zheng dinghui", "zdh", "ZhengDinghui"])
def test_the_officer_finds_his_president_by_any_script_pinyin_and_initials(login, officer_of, president, q):
    client = login(officer_of)
    detail = reverse("members:person-detail", args=[president.pk])
    assert detail in _text(client.get(reverse("search:search"), {"q": q}))
    assert detail in _text(client.get(reverse("search:suggest"), {"q": q}))
    assert detail in _text(client.get(reverse("members:person-list"), {"q": q}))


def test_the_president_is_in_his_associations_people_list_and_his_record_opens(
    login, officer_of, president, business_association
):
    client = login(officer_of)
    detail = reverse("members:person-detail", args=[president.pk])
    assert detail in _text(client.get(reverse("members:person-list")))
    assert detail in _text(client.get(reverse("members:person-list"), {"association": business_association.pk}))
    assert "鄭定輝" in _text(client.get(detail))
    assert client.get(reverse("members:person-edit", args=[president.pk])).status_code == 200


@pytest.mark.parametrize("q", ["郑定辉", "zheng dinghui", "zdh"])
def test_another_associations_officer_finds_nothing_of_him(login, officer_of_other, president, q):
    client = login(officer_of_other)
    detail = reverse("members:person-detail", args=[president.pk])
    assert detail not in _text(client.get(reverse("search:search"), {"q": q}))
    assert detail not in _text(client.get(reverse("search:suggest"), {"q": q}))
    assert "鄭定輝" not in _text(client.get(reverse("members:person-list"), {"q": q}))
    assert client.get(detail).status_code == 404
    assert client.get(reverse("members:person-edit", args=[president.pk])).status_code == 404


def test_a_former_officer_stays_visible_as_a_former_member_does(login, officer_of, president):
    from qiaojia.orgs.models import Term

    Term.objects.filter(person=president).update(ends_on=datetime.date(2024, 5, 31))
    client = login(officer_of)
    assert client.get(reverse("members:person-detail", args=[president.pk])).status_code == 200
