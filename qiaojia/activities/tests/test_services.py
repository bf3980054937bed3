import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qiaojia.activities import selectors, services
from qiaojia.activities.models import Activity, ActivityKind, ActivityPhoto
from qiaojia.core.models import AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.cycle import services as cycle_services
from qiaojia.cycle.models import PlanItemStatus, ProgressUpdate
from qiaojia.cycle.tests.world import make_priorities, make_report
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import PartnerKind

from .world import jpeg_upload, make_activity

pytestmark = pytest.mark.django_db


def _stored(media):
    folder = media / services.PHOTO_FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def plan_item(federation, business_association):
    """A plan item of the association's plan for 2025 (its report on 2024)."""
    make_priorities(2025)
    report = make_report(business_association, 2024)
    return report.plan_items.get()


def test_create_with_plan_items_records_progress_on_each(business_association, plan_item, officer_of, make_person):
    member = make_person("柴莉", association=business_association)
    activity = make_activity(
        business_association,
        title="中原行經貿洽談會",
        starts_on=datetime.date(2025, 5, 12),
        members=[member],
        plan_items=[plan_item],
        progress_percent=40,
        user=officer_of,
        photos=[(jpeg_upload(), "洽談現場"), (jpeg_upload(color=(0, 90, 0)), "合影留念")],
    )
    update = ProgressUpdate.objects.get(plan_item=plan_item)
    assert update.activity == activity and update.created_by == officer_of
    assert "中原行經貿洽談會" in update.note and "2025年5月12日" in update.note
    plan_item.refresh_from_db()
    assert (plan_item.status, plan_item.percent) == (PlanItemStatus.IN_PROGRESS, 40)
    assert list(activity.members.all()) == [member]
    assert list(activity.photos.values_list("caption", "order")) == [("洽談現場", 1), ("合影留念", 2)]
    assert activity.created_by == officer_of
    assert AuditEntry.objects.filter(object_type="activities.activity", object_id=str(activity.pk)).count() == 3


def test_default_progress_keeps_percent_and_moves_not_started_to_in_progress(business_association, plan_item):
    plan_item = cycle_services.progress_record(
        item=plan_item, note="籌備", status=PlanItemStatus.DELAYED, percent=30
    ).plan_item
    make_activity(business_association, plan_items=[plan_item])
    plan_item.refresh_from_db()
    assert (plan_item.status, plan_item.percent) == (PlanItemStatus.DELAYED, 30)
    done = make_activity(
        business_association, title="收官", plan_items=[plan_item], progress_status=PlanItemStatus.DONE
    )
    plan_item.refresh_from_db()
    assert (plan_item.status, plan_item.percent) == (PlanItemStatus.DONE, 100)
    assert plan_item.updates.first().activity == done


def test_update_records_progress_only_for_newly_linked_items(business_association, plan_item):
    activity = make_activity(business_association)
    activity = services.activity_update(
        activity=activity,
        expected_version=activity.version,
        data={"title": "經貿交流會（更新）"},
        plan_items=[plan_item],
    )
    assert plan_item.updates.count() == 1
    activity = services.activity_update(
        activity=activity, expected_version=activity.version, data={"outcome": "簽約三項"}, plan_items=[plan_item]
    )
    assert plan_item.updates.count() == 1
    assert activity.outcome == "簽約三項" and activity.version == 3


def test_plan_items_of_another_association_or_year_are_refused(business_association, other_association, plan_item):
    other_item = make_report(other_association, 2024).plan_items.get()
    with pytest.raises(ValidationError) as exc:
        make_activity(business_association, plan_items=[other_item])
    assert "plan_items" in exc.value.error_dict
    with pytest.raises(ValidationError):
        make_activity(business_association, starts_on=datetime.date(2024, 6, 1), plan_items=[plan_item])
    assert not Activity.objects.exists() and not ProgressUpdate.objects.exists()


def test_members_and_partner_must_belong_to_the_association(business_association, other_association, make_person):
    outsider = make_person("王秘密", association=other_association)
    with pytest.raises(ValidationError) as exc:
        make_activity(business_association, members=[outsider])
    assert "members" in exc.value.error_dict
    partner = org_services.partner_create(
        association=other_association, data={"name": "鄭州大學", "kind": PartnerKind.UNIVERSITY}
    )
    with pytest.raises(ValidationError) as exc:
        make_activity(business_association, kind=ActivityKind.PARTNER_LIAISON, data={"partner": partner})
    assert "partner" in exc.value.error_dict
    with pytest.raises(ValidationError):
        make_activity(business_association, kind=ActivityKind.PARTNER_LIAISON)
    with pytest.raises(ValidationError) as exc:
        make_activity(business_association, data={"ends_on": datetime.date(2025, 5, 1)})
    assert "ends_on" in exc.value.error_dict
    assert not Activity.objects.exists()


def test_stale_version_is_a_conflict(business_association):
    activity = make_activity(business_association)
    services.activity_update(activity=activity, expected_version=1, data={"place": "洛陽"})
    with pytest.raises(ConflictError):
        services.activity_update(activity=activity, expected_version=1, data={"place": "開封"})
    assert Activity.objects.get().place == "洛陽"


def test_refused_photo_stores_nothing_and_creates_no_activity(business_association, media, plan_item):
    with pytest.raises(ValidationError) as exc:
        make_activity(
            business_association,
            plan_items=[plan_item],
            photos=[
                (jpeg_upload(), "好的"),
                (SimpleUploadedFile("bad.jpg", b"<html><script>1</script></html>"), "壞的"),
            ],
        )
    assert "bad.jpg" in " ".join(exc.value.messages)
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()
    assert not ProgressUpdate.objects.exists() and _stored(media) == []


def test_failed_row_discards_the_stored_files(business_association, media):
    activity = make_activity(business_association)
    Activity.objects.filter(pk=activity.pk).delete()  # gone meanwhile: the photo's row fails after its file
    with pytest.raises(ValidationError):
        services.photo_add(activity=activity, photos=[(jpeg_upload(), "x"), (jpeg_upload(), "y")])
    assert _stored(media) == [] and not ActivityPhoto.objects.exists()


def _gps_exif() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (34.0, 45.0, 0.0), "E", (113.0, 39.0, 0.0)
    return exif.tobytes()


def test_photo_is_reencoded_without_exif(business_association, media):
    from PIL import Image

    upload = jpeg_upload(size=(300, 200), exif=_gps_exif())
    assert b"PhoneMaker" in upload.read()
    upload.seek(0)
    activity = make_activity(business_association)
    photo = services.photo_add(activity=activity, photos=[(upload, "走訪會員企業")])[0]
    stored = (media / photo.file.name).read_bytes()
    assert photo.file.name.startswith("activities/photos/") and b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and not image.getexif()
        assert (photo.width, photo.height) == (300, 200)


def test_photo_caption_update_and_delete(business_association, media, django_capture_on_commit_callbacks):
    activity = make_activity(business_association, photos=[(jpeg_upload(), "舊")])
    photo = activity.photos.get()
    photo = services.photo_update(photo=photo, expected_version=1, caption="新")
    assert photo.caption == "新"
    with pytest.raises(ConflictError):
        services.photo_update(photo=photo, expected_version=1, caption="又")
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=photo, expected_version=2)
    assert _stored(media) == [] and not ActivityPhoto.objects.exists()


def test_delete_keeps_progress_notes_and_removes_photos(
    business_association, plan_item, media, django_capture_on_commit_callbacks
):
    activity = make_activity(business_association, plan_items=[plan_item], photos=[(jpeg_upload(), "x")])
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_delete(activity=activity, expected_version=activity.version)
    update = ProgressUpdate.objects.get()
    assert update.activity is None and "僑商經貿合作交流會" in update.note
    assert _stored(media) == [] and not Activity.objects.exists()


def test_report_counts_by_kind_and_prefill(business_association, federation, settings):
    from django.utils import translation

    for title, kind, day in (
        ("經貿洽談會", ActivityKind.TRADE, datetime.date(2024, 5, 12)),
        ("企業出海座談會", ActivityKind.TRADE, datetime.date(2024, 8, 1)),
        ("零距離聚僑心", ActivityKind.VOLUNTEER, datetime.date(2024, 9, 9)),
        ("下一年的活動", ActivityKind.CULTURE, datetime.date(2025, 1, 2)),
    ):
        make_activity(business_association, title=title, kind=kind, starts_on=day)
    with translation.override("zh-hant"):
        counts = selectors.activity_report_counts(association_id=business_association.pk, year=2024)
        assert counts["activity_count"] == 3
        assert counts["activities"].startswith("經貿合作 2, 志願服務 1; 經貿洽談會（2024年5月12日）")
        report = cycle_services.report_start(association=business_association, year=2024)
    assert report.activity_count == 3 and "零距離聚僑心" in report.activities
    assert selectors.activity_report_counts(association_id=business_association.pk, year=2023) == {
        "activity_count": 0,
        "activities": "",
    }


def test_edit_keeps_a_linked_item_that_was_carried_over_since(business_association, plan_item):
    activity = make_activity(business_association, plan_items=[plan_item])
    type(plan_item).objects.filter(pk=plan_item.pk).update(status=PlanItemStatus.CARRIED_OVER)
    activity = services.activity_update(
        activity=activity,
        expected_version=activity.version,
        data={"starts_on": datetime.date(2025, 6, 1)},
        plan_items=[plan_item],
    )
    assert list(activity.plan_items.all()) == [plan_item] and plan_item.updates.count() == 1
    with pytest.raises(ValidationError):
        make_activity(business_association, title="新活動", plan_items=[plan_item])
