import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from qiaojia.activities.models import Activity, ActivityKind, ActivityPhoto
from qiaojia.core.chinese import to_simplified
from qiaojia.cycle.models import ProgressUpdate
from qiaojia.cycle.tests.world import make_priorities, make_report

from .world import jpeg_upload, make_activity

pytestmark = pytest.mark.django_db


def _form(**values):
    data = {
        "form_token": str(uuid.uuid4()),
        "title": "僑商經貿合作交流會",
        "kind": ActivityKind.TRADE,
        "starts_on": timezone.localdate().isoformat(),
        "place": "鄭州",
        "other_participants": "12",
    }
    data.update(values)
    return data


@pytest.fixture
def current_item(federation, business_association):
    year = timezone.localdate().year
    make_priorities(year)
    return make_report(business_association, year - 1).plan_items.get()


def test_officer_records_an_activity_with_photos_and_plan_item(
    login, officer_of, business_association, current_item, make_person
):
    member = make_person("柴莉", association=business_association)
    client = login(officer_of)
    url = reverse("activities:activity-create")
    page = client.get(url)
    # Members are chosen with the picker (its suggestions are the association's people), not from a list of all.
    assert page.status_code == 200 and "data-picker" in page.content.decode() and "柴莉" not in page.content.decode()
    pick = client.get(
        reverse("members:person-pick"), {"field": "members", "within": business_association.pk, "q": "chai"}
    )
    assert f'name="members" value="{member.pk}"' in pick.content.decode()
    response = client.post(
        url,
        _form(
            members=[str(member.pk)],
            plan_items=[str(current_item.pk)],
            progress_percent="60",
            photo_1=jpeg_upload(),
            caption_1="洽談現場",
            photo_2=jpeg_upload(color=(1, 2, 3)),
            caption_2="合影留念",
        ),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert response["Location"] == reverse("activities:activity-detail", args=[activity.pk])
    assert activity.photos.count() == 2 and activity.other_participants == 12
    current_item.refresh_from_db()
    assert current_item.percent == 60
    detail = client.get(response["Location"]).content.decode()  # shown in the reader's script
    assert "洽谈现场" in detail and reverse("cycle:plan-item-detail", args=[current_item.pk]) in detail
    item_page = client.get(reverse("cycle:plan-item-detail", args=[current_item.pk])).content.decode()
    assert reverse("activities:activity-detail", args=[activity.pk]) in item_page
    assert reverse("activities:photo-file", args=[activity.photos.first().pk]) in item_page


def test_bad_input_is_refused_with_messages_and_nothing_changes(
    login, officer_of, other_association, current_item, make_person
):
    outsider = make_person("王秘密", association=other_association)
    client = login(officer_of)
    url = reverse("activities:activity-create")
    response = client.post(
        url,
        _form(title="", starts_on="2025-13-40", members=[str(outsider.pk)], caption_1="沒有照片的說明"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("title", "starts_on", "members", "photo_1"):
        assert f'id="field-{field}"' in body and f"id_{field}_error" in body
    response = client.post(url, _form(kind=ActivityKind.PARTNER_LIAISON, ends_on="2000-01-01"))
    assert response.status_code == 400
    assert "id_partner_error" in response.content.decode() and "id_ends_on_error" in response.content.decode()
    assert not Activity.objects.exists() and not ProgressUpdate.objects.exists()


def test_edit_with_a_stale_version_is_a_conflict(login, officer_of, business_association):
    activity = make_activity(business_association)
    client = login(officer_of)
    url = reverse("activities:activity-edit", args=[activity.pk])
    assert client.get(url).status_code == 200
    data = {k: v for k, v in _form(title="改過的標題", version="1").items() if k != "form_token"}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "title": "又改了"})
    assert stale.status_code == 409 and 'id="conflict"' in stale.content.decode()
    assert Activity.objects.get().title == "改過的標題"


def test_federation_staff_choose_the_association_first(login, staff_user, business_association, other_association):
    client = login(staff_user)
    url = reverse("activities:activity-create")
    pick = client.get(url)
    assert pick.status_code == 200 and 'id="association-pick"' in pick.content.decode()
    response = client.post(
        f"{url}?association={other_association.pk}", _form(title="聯誼會文化活動", kind=ActivityKind.CULTURE)
    )
    assert response.status_code == 302
    assert Activity.objects.get().association == other_association


def test_officer_cannot_record_for_another_association(login, officer_of, other_association, business_association):
    client = login(officer_of)
    url = reverse("activities:activity-create")
    client.post(f"{url}?association={other_association.pk}", _form())
    assert Activity.objects.get().association == business_association


def test_list_filters_and_export(login, staff_user, business_association, other_association):
    make_activity(business_association, title="經貿洽談會", starts_on=datetime.date(2024, 5, 12))
    make_activity(other_association, title="文化講座", kind=ActivityKind.CULTURE, starts_on=datetime.date(2025, 2, 1))
    client = login(staff_user)
    url = reverse("activities:activity-list")
    culture, talks = to_simplified("文化講座"), to_simplified("經貿洽談會")  # titles in the reader's script
    body = client.get(url, {"kind": "culture"}).content.decode()
    assert culture in body and talks not in body
    body = client.get(url, {"year": "2024"}).content.decode()
    assert talks in body and culture not in body
    body = client.get(url, {"association": other_association.pk}).content.decode()
    assert culture in body and talks not in body
    export = client.get(reverse("activities:activity-export"), {"format": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "經貿洽談會" in text and "文化講座" in text


def test_officer_list_and_export_never_show_another_association(
    login, officer_of, business_association, other_association
):
    make_activity(business_association, title="經貿洽談會")
    make_activity(other_association, title="秘密活動")
    client = login(officer_of)
    body = client.get(reverse("activities:activity-list")).content.decode()
    assert to_simplified("經貿洽談會") in body and to_simplified("秘密活動") not in body
    export = b"".join(client.get(reverse("activities:activity-export")).streaming_content).decode("utf-8-sig")
    assert "經貿洽談會" in export and "秘密活動" not in export


def test_photo_of_another_association_is_not_found(login, officer_of, other_association):
    activity = make_activity(other_association, photos=[(jpeg_upload(), "現場")])
    client = login(officer_of)
    photo = activity.photos.get()
    assert client.get(reverse("activities:photo-file", args=[photo.pk])).status_code == 404
    assert client.get(reverse("activities:activity-detail", args=[activity.pk])).status_code == 404


def test_list_queries_do_not_grow_with_rows(login, staff_user, business_association, django_assert_max_num_queries):
    client = login(staff_user)
    url = reverse("activities:activity-list")
    for n in range(3):
        make_activity(business_association, title=f"活動{n}", photos=[(jpeg_upload(), "")])
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for n in range(3, 25):
        make_activity(business_association, title=f"活動{n}", photos=[(jpeg_upload(), "")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_detail_queries_do_not_grow_with_photos_members_and_items(
    login, officer_of, business_association, current_item, make_person, django_assert_max_num_queries
):
    members = [make_person(f"會員{n}", association=business_association) for n in range(6)]
    activity = make_activity(
        business_association, starts_on=timezone.localdate(), members=members[:1], photos=[(jpeg_upload(), "一")]
    )
    client = login(officer_of)
    url = reverse("activities:activity-detail", args=[activity.pk])
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    from qiaojia.activities import services

    services.activity_update(
        activity=activity,
        expected_version=activity.version,
        data={},
        members=members,
        plan_items=[current_item],
        photos=[(jpeg_upload(), str(n)) for n in range(5)],
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_plan_item_page_queries_do_not_grow_with_activities(
    login, officer_of, business_association, current_item, django_assert_max_num_queries
):
    client = login(officer_of)
    url = reverse("cycle:plan-item-detail", args=[current_item.pk])
    make_activity(
        business_association, starts_on=timezone.localdate(), plan_items=[current_item], photos=[(jpeg_upload(), "一")]
    )
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        make_activity(
            business_association,
            title=f"活動{n}",
            starts_on=timezone.localdate(),
            plan_items=[current_item],
            photos=[(jpeg_upload(), "一"), (jpeg_upload(), "二")],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('class="progress-activity"') == 5


def test_photo_pages_add_edit_and_delete(login, officer_of, business_association, media):
    activity = make_activity(business_association)
    client = login(officer_of)
    url = reverse("activities:photo-create", args=[activity.pk])
    empty = client.post(url, {"form_token": str(uuid.uuid4())})
    assert empty.status_code == 400 and "id_photo_1_error" in empty.content.decode()
    ok = client.post(
        url,
        {
            "form_token": str(uuid.uuid4()),
            "photo_1": jpeg_upload(),
            "caption_1": "一",
            "photo_3": jpeg_upload(),
            "caption_3": "三",
        },
    )
    assert ok.status_code == 302
    assert list(ActivityPhoto.objects.values_list("caption", flat=True)) == ["一", "三"]
    photo, last = ActivityPhoto.objects.all()
    moved = client.post(reverse("activities:photo-move", args=[last.pk]), {"version": "1", "direction": "up"})
    assert moved.status_code == 302
    assert list(ActivityPhoto.objects.values_list("caption", flat=True)) == ["三", "一"]
    photo.refresh_from_db()
    served = client.get(reverse("activities:photo-file", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    edit = client.post(reverse("activities:photo-edit", args=[photo.pk]), {"version": photo.version, "caption": "會場"})
    assert edit.status_code == 302 and ActivityPhoto.objects.get(pk=photo.pk).caption == "會場"
    client.post(reverse("activities:photo-delete", args=[photo.pk]), {"version": photo.version + 1})
    assert ActivityPhoto.objects.count() == 1


def test_members_and_anonymous_cannot_see_activities(client, login, member_user, business_association):
    activity = make_activity(business_association)
    url = reverse("activities:activity-detail", args=[activity.pk])
    assert client.get(url).status_code == 302
    login(member_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("activities:activity-list")).status_code == 404
