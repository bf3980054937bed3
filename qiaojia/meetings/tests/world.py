"""Meetings for the shared isolation world (qiaojia/core/tests/test_isolation.py) and small helpers."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qiaojia.meetings import services, tokens
from qiaojia.meetings.models import AgendaItemKind, MeetingKind, ParticipantRole
from qiaojia.orgs.models import Federation


def jpeg_upload(
    name="photo.jpg", size=(64, 48), color=(200, 30, 30), exif: bytes | None = None, fmt="JPEG"
) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_meeting(association=None, *, title="2025年度工作會議", starts_at=None, **data):
    federation = Federation.objects.order_by("id").first()
    return services.meeting_create(
        federation=federation,
        association=association,
        data={
            "title": title,
            "kind": data.pop("kind", MeetingKind.ANNUAL_WORK),
            "starts_at": starts_at or timezone.now(),
            "place": data.pop("place", "鄭州"),
            **data,
        },
    )


def meeting_world(w, k):
    """A meeting of association k with one of everything (made once per world)."""
    if ("meeting", k) not in w:
        association = w[k]["association"]
        meeting = make_meeting(association, title=f"{association.name}理事會")
        participant = services.participant_add(
            meeting=meeting,
            data={"role": ParticipantRole.ON_BEHALF, "name": w[k]["person"].name, "association": association},
        )
        item = services.agenda_item_create(
            meeting=meeting,
            data={
                "kind": AgendaItemKind.REPORTS,
                "title": "匯報工作",
                "association": association,
                "presenter": participant,
            },
        )
        services.agenda_item_create(meeting=meeting, data={"kind": AgendaItemKind.DISCUSSION, "title": "討論"})
        resolution = services.resolution_create(meeting=meeting, text="通過2025年工作計劃")
        task = services.task_create(
            meeting=meeting,
            data={"title": "報送年度報告", "owner_association": association, "due_on": datetime.date(2025, 3, 31)},
        )
        photo = services.photo_add(meeting=meeting, uploaded=jpeg_upload(), caption="會議現場")
        w["meeting", k] = {
            "meeting": meeting,
            "participant": participant,
            "item": item,
            "resolution": resolution,
            "task": task,
            "photo": photo,
            "token": tokens.make_token(meeting),
        }
    return w["meeting", k]


def third_association(name="河南省海外聯誼青年會"):
    """An association outside the isolation world's two, made once by name."""
    from conftest import _association
    from qiaojia.orgs.models import Association, Department

    found = Association.objects.filter(name=name).first()
    if found is not None:
        return found
    department = Department.objects.filter(supervises_associations=True).order_by("id").first()
    return _association(Federation.objects.order_by("id").first(), department, name)


def make_series(associations, *, name="豫僑社團聯席會議"):
    from qiaojia.meetings import services_joint

    return services_joint.series_create(
        federation=Federation.objects.order_by("id").first(), data={"name": name}, associations=associations
    )


def joint_world(w, k):
    """A series of association k and a third association, with one meeting hosted by k (made once)."""
    if ("joint", k) not in w:
        from qiaojia.meetings import services_joint

        association = w[k]["association"]
        series = make_series([association, third_association()], name=f"{association.name}聯席會議")
        meeting = services_joint.joint_meeting_schedule(
            series=series, data={"starts_at": timezone.now() + datetime.timedelta(days=10), "place": "鄭州"}
        )
        w["joint", k] = {"series": series, "meeting": meeting, "member": series.members.get(association=association)}
    return w["joint", k]
