import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import verified_client
from qiaojia.accounts.models import Role
from qiaojia.core.chinese import to_script
from qiaojia.voice import services
from qiaojia.voice.models import Opinion, OpinionCategory, OpinionRoute, OpinionStatus
from qiaojia.voice.tests.world import make_opinion

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def public_post(client, **data):
    import uuid

    values = {
        "form_token": str(uuid.uuid4()),
        "category": "livelihood",
        "title": "社區道路積水",
        "text": "雨後積水嚴重。",
        "name": "陳小姐",
        "phone": "13812345678",
        "consent": "on",
        **data,
    }
    return client.post(reverse("voice:public-create"), values, REMOTE_ADDR=data.pop("address", "203.0.113.5"))


def test_the_public_sends_an_opinion_and_reads_the_receipt_code(client, liaison_department):
    response = public_post(client)
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    code = Opinion.objects.get().code
    assert code in body(receipt)


def test_the_public_forms_phone_number_is_stored_in_e164(client, liaison_department):
    assert public_post(client, phone="138 1234 5678").status_code == 302
    assert public_post(client, phone="+1 415 555 2671", address="203.0.113.6").status_code == 302
    assert sorted(Opinion.objects.values_list("phone", flat=True)) == ["+14155552671", "+8613812345678"]
    assert public_post(client, phone="12345", email="", address="203.0.113.7").status_code == 400
    assert Opinion.objects.count() == 2


def test_the_public_form_refuses_the_eleventh_opinion_from_one_address(client, liaison_department):
    for n in range(10):
        assert public_post(client, phone=f"1381234{n:04d}").status_code == 302
    response = public_post(client, phone="13900000000")
    assert response.status_code == 429
    assert "稍后再试" in to_script(body(response), "zh-hans")
    assert Opinion.objects.count() == 10


def test_the_trap_field_filled_stores_nothing(client, liaison_department):
    response = public_post(client, website="http://spam.example")
    assert response.status_code == 400
    assert not Opinion.objects.exists()


def test_oversized_and_malformed_input_is_refused_with_a_message(client, liaison_department):
    assert public_post(client, text="長" * 5001).status_code == 400
    assert public_post(client, category="nonsense").status_code == 400
    assert public_post(client, phone="call me", email="").status_code == 400
    assert public_post(client, phone="", email="").status_code == 400
    bad_file = SimpleUploadedFile("a.pdf", b"not a pdf at all", content_type="application/pdf")
    assert public_post(client, file=bad_file).status_code == 400
    assert not Opinion.objects.exists()


def test_script_is_shown_as_text_on_every_page(client, liaison_department, staff_user):
    public_post(client, title="<script>alert(1)</script>", text="<img src=x onerror=alert(1)>")
    opinion = Opinion.objects.get()
    verified_client(client, staff_user)
    for url in (reverse("voice:opinion-detail", args=[opinion.pk]), reverse("voice:opinion-list")):
        text = body(client.get(url))
        assert "<script>alert(1)" not in text and "<img src=x" not in text
        assert "&lt;script&gt;" in text


def test_tracking_shows_status_and_replies_only(client, liaison_department, staff_user):
    opinion = make_opinion(phone="13812345678")
    opinion = services.opinion_reply(opinion=opinion, expected_version=opinion.version, text="已聯繫交通部門處理")
    response = client.post(reverse("voice:public-track"), {"code": opinion.code.lower().replace("-", "")})
    text = to_script(body(response), "zh-hant")
    assert response.status_code == 200
    assert "已聯繫交通部門處理" in text
    assert "13812345678" not in text and "林美華" not in text and liaison_department.name not in text


def test_the_sender_rates_not_satisfied_and_reopens_once_on_the_tracking_page(client, liaison_department):
    opinion = make_opinion()
    opinion = services.opinion_reply(opinion=opinion, expected_version=opinion.version, text="答覆")
    url = reverse("voice:public-track")
    rated = client.post(
        url, {"code": opinion.code, "action": "rate", "rating": "not_satisfied", "version": opinion.version}
    )
    assert rated.status_code == 200
    opinion.refresh_from_db()
    assert opinion.rating == "not_satisfied"
    reopened = client.post(
        url, {"code": opinion.code, "action": "reopen", "reason": "未解決", "version": opinion.version}
    )
    assert reopened.status_code == 200
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.REOPENED


def test_wrong_codes_are_limited_per_address(client, settings, liaison_department):
    settings.QIAOJIA_VOICE_PUBLIC_LIMITS = {**settings.QIAOJIA_VOICE_PUBLIC_LIMITS, "lookup": (3, 3600)}
    url = reverse("voice:public-track")
    for _ in range(3):
        assert client.post(url, {"code": "AAAA-BBBB-CCCC"}).status_code == 400
    opinion = make_opinion()
    assert client.post(url, {"code": opinion.code}).status_code == 429


def test_an_association_sees_a_case_routed_to_it_and_answers_it(
    client, business_association, other_association, make_user, staff_user
):
    OpinionRoute.objects.create(category=OpinionCategory.BUSINESS, association=business_association)
    opinion = make_opinion(category=OpinionCategory.BUSINESS)
    other = make_user("other", Role.OFFICER, associations=[other_association])
    verified_client(client, other)
    assert client.get(reverse("voice:opinion-detail", args=[opinion.pk])).status_code == 404
    assert opinion.code not in body(client.get(reverse("voice:opinion-list")))
    officer = make_user("handler", Role.OFFICER, associations=[business_association])
    verified_client(client, officer)
    assert client.get(reverse("voice:opinion-detail", args=[opinion.pk])).status_code == 200
    response = client.post(
        reverse("voice:opinion-reply", args=[opinion.pk]), {"version": opinion.version, "text": "已答覆"}
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.ANSWERED


def test_an_anonymous_sender_is_hidden_from_the_handling_association(client, business_association, make_user):
    OpinionRoute.objects.create(category=OpinionCategory.BUSINESS, association=business_association)
    opinion = make_opinion(category=OpinionCategory.BUSINESS, anonymous=True, name="匿名者甲", phone="13987654321")
    verified_client(client, make_user("handler", Role.OFFICER, associations=[business_association]))
    text = body(client.get(reverse("voice:opinion-detail", args=[opinion.pk])))
    assert "匿名者甲" not in text and "13987654321" not in text and "9876" not in text


def test_staff_route_a_case_with_a_reason(client, liaison_department, business_association, staff_user):
    opinion = make_opinion()
    verified_client(client, staff_user)
    response = client.post(
        reverse("voice:opinion-route", args=[opinion.pk]),
        {"version": opinion.version, "association": business_association.pk, "reason": "企業事項"},
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.handler_association == business_association


def test_a_member_sends_an_opinion_for_themselves(client, liaison_department, member_user, member_person):
    import uuid

    verified_client(client, member_user)
    response = client.post(
        reverse("voice:opinion-create"),
        {
            "form_token": str(uuid.uuid4()),
            "category": "policy",
            "title": "希望放寬回國定居政策",
            "text": "手續繁瑣。",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.person == member_person and opinion.channel == "member"
    assert client.get(response["Location"]).status_code == 200


def test_the_rates_page_and_the_exports(client, liaison_department, staff_user):
    make_opinion()
    verified_client(client, staff_user)
    text = body(client.get(reverse("voice:rates")))
    assert liaison_department.name in to_script(text, "zh-hant") or "文化经济联络部" in text
    export = client.get(reverse("voice:opinion-export") + "?format=xlsx")
    assert export.status_code == 200
    assert b"".join(export.streaming_content)[:2] == b"PK"
    assert client.get(reverse("voice:rates-export")).status_code == 200


@pytest.mark.parametrize("name", ["voice:opinion-list", "voice:rates"])
def test_lists_run_a_bounded_number_of_queries(
    client, liaison_department, staff_user, name, django_assert_max_num_queries
):
    for i in range(30):
        make_opinion(title=f"意見{i}", phone=f"1381234{i:04d}")
    verified_client(client, staff_user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(name)).status_code == 200


def test_the_detail_page_runs_a_bounded_number_of_queries(
    client, liaison_department, staff_user, django_assert_max_num_queries
):
    opinion = make_opinion()
    for i in range(5):
        make_opinion(title="僑眷子女入學手續繁瑣", phone=f"1391234{i:04d}")
    verified_client(client, staff_user)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("voice:opinion-detail", args=[opinion.pk]))
    assert response.status_code == 200
    assert re.search(r'id="similar"', body(response))


@pytest.mark.parametrize("name", ["voice:public-create", "voice:public-track"])
def test_public_pages_run_a_bounded_number_of_queries(client, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(reverse(name)).status_code == 200
