"""Setting a meeting up in a few steps: an association's officers at once, people chosen with the member
picker, a pasted list matched and shown before anything is added, and several agenda items in one form."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from conftest import verified_client
from qiaojia.meetings.models import AgendaItem, Participant, ParticipantRole
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle

pytestmark = pytest.mark.django_db

TOKEN = "6f1f6f77-1d7a-4c38-9d84-6b1c1a4f0b"


def _officer(make_person, association, name, title, **data):
    person = make_person(name, association=association, **data)
    org_services.term_create(
        association=association, data={"person": person, "title": title, "starts_on": datetime.date(2024, 12, 18)}
    )
    return person


@pytest.fixture
def officers(make_person, business_association):
    return [
        _officer(make_person, business_association, "鄭定輝", AssociationTitle.PRESIDENT, phone="+8613912345678"),
        _officer(make_person, business_association, "李秘書", AssociationTitle.SECRETARY_GENERAL),
    ]


def _post(client, meeting, n, **data):
    return client.post(
        reverse("meetings:participant-bulk", args=[meeting.pk]),
        {"form_token": f"{TOKEN}{n:02d}", "role": "attends", **data},
    )


def test_staff_add_an_associations_officers_in_one_step(
    client, staff_user, fed_meeting, business_association, officers
):
    verified_client(client, staff_user)
    response = _post(client, fed_meeting, 1, officers_of=business_association.pk, role="on_behalf")
    assert response.status_code == 302 and response["Location"].endswith("#participants")
    added = list(Participant.objects.filter(meeting=fed_meeting).order_by("order"))
    assert [p.name for p in added] == ["鄭定輝", "李秘書"]  # by rank: the president first
    assert {p.association_id for p in added} == {business_association.pk}
    assert {p.role for p in added} == {ParticipantRole.ON_BEHALF}
    # Again: nobody is listed twice.
    _post(client, fed_meeting, 2, officers_of=business_association.pk, role="on_behalf")
    assert Participant.objects.filter(meeting=fed_meeting).count() == 2


def test_a_pasted_list_is_matched_and_shown_before_anything_is_added(
    client, staff_user, fed_meeting, business_association, officers, make_person, django_assert_max_num_queries
):
    make_person("王建國", association=business_association)
    make_person("王建國")  # a namesake: this line cannot be matched by the name alone
    verified_client(client, staff_user)
    pasted = "姓名\t手機\n郑定辉\n\t139 1234 5678\n王建国\n無此人, 13800000000\n"
    with django_assert_max_num_queries(40):
        response = _post(client, fed_meeting, 3, pasted=pasted)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="bulk-preview"' in page
    assert not Participant.objects.filter(meeting=fed_meeting).exists()
    rows = page[page.index('id="preview-lines"') :]
    assert rows.count('data-outcome="matched"') == 2  # 郑定辉 by name, and his number on its own
    assert rows.count('data-outcome="several"') == 1 and rows.count('data-outcome="unmatched"') == 1
    assert "139****5678" in rows and "13912345678" not in rows
    digest = page.split('name="previewed" value="')[1].split('"')[0]

    # Sent again unchanged, with the unmatched names added as typed.
    response = _post(client, fed_meeting, 3, pasted=pasted, previewed=digest, add_unmatched="on")
    assert response.status_code == 302
    names = sorted(Participant.objects.filter(meeting=fed_meeting).values_list("name", flat=True))
    assert names == sorted(["鄭定輝", "王建国", "無此人"])  # 鄭定輝 once, though two lines found him


def test_people_chosen_with_the_picker_are_added_and_an_outsider_is_refused(
    client, officer_of, assoc_meeting, business_association, officers, make_person, other_association
):
    member = make_person("柴莉", association=business_association)
    outsider = make_person("王秘密", association=other_association)
    verified_client(client, officer_of)
    page = client.get(reverse("meetings:participant-bulk", args=[assoc_meeting.pk])).content.decode()
    assert "data-picker" in page and f"within={business_association.pk}" in page
    refused = _post(client, assoc_meeting, 4, people=[member.pk, outsider.pk])
    assert refused.status_code == 400
    assert not Participant.objects.filter(meeting=assoc_meeting).exists()
    assert "王秘密" not in refused.content.decode()
    response = _post(client, assoc_meeting, 5, people=[member.pk, officers[0].pk])
    assert response.status_code == 302
    assert set(Participant.objects.filter(meeting=assoc_meeting).values_list("person_id", flat=True)) == {
        member.pk,
        officers[0].pk,
    }


def test_nothing_chosen_is_said_and_saves_nothing(client, staff_user, fed_meeting):
    verified_client(client, staff_user)
    response = _post(client, fed_meeting, 6)
    assert response.status_code == 400
    message = escape(gettext("Choose an association's officers, pick members or paste a list."))
    assert message in response.content.decode()


def _agenda(**rows):
    data = {"form_token": f"{TOKEN}99", "form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "0"}
    for key, value in rows.items():
        data[key] = value
    return data


def test_several_agenda_items_in_one_form(client, staff_user, fed_meeting, business_association):
    verified_client(client, staff_user)
    url = reverse("meetings:agenda-bulk", args=[fed_meeting.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, _agenda(**{"form-0-kind": "study", "form-0-title": "集體學習", "form-1-kind": "discussion"}))
    assert bad.status_code == 400 and not AgendaItem.objects.filter(meeting=fed_meeting).exists()
    good = client.post(
        url,
        _agenda(
            **{
                "form-0-kind": "study",
                "form-0-title": "集體學習",
                "form-0-document": "《省僑聯2025年工作要點》",
                "form-1-kind": "reports",
                "form-1-title": "各社團匯報",
                "form-1-association": business_association.pk,
                "form-3-kind": "closing_address",
                "form-3-title": "主席講話",
            }
        ),
    )
    assert good.status_code == 302
    items = list(AgendaItem.objects.filter(meeting=fed_meeting).order_by("order"))
    assert [(i.kind, i.title) for i in items] == [
        ("study", "集體學習"),
        ("reports", "各社團匯報"),
        ("closing_address", "主席講話"),
    ]
    assert [i.order for i in items] == [1, 2, 3]
