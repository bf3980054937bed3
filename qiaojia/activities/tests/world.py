"""Activities for the shared isolation world (qiaojia/core/tests/test_isolation.py) and small helpers."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qiaojia.activities import services
from qiaojia.activities.models import ActivityKind


def jpeg_upload(
    name="photo.jpg", size=(64, 48), color=(200, 30, 30), exif: bytes | None = None, fmt="JPEG"
) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(buffer, format=fmt, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_activity(
    association, *, title="僑商經貿合作交流會", kind=ActivityKind.TRADE, starts_on=None, photos=(), **kwargs
):
    data = {
        "title": title,
        "kind": kind,
        "starts_on": starts_on or datetime.date(2025, 5, 12),
        "place": kwargs.pop("place", "鄭州"),
        "other_participants": kwargs.pop("other_participants", 0),
        **kwargs.pop("data", {}),
    }
    return services.activity_create(association=association, data=data, photos=photos, **kwargs)


def open_registration(places=20, days=7) -> dict:
    """The settings of an activity open to its members' registration, closing in `days` days."""
    return {
        "registration_open": True,
        "registration_capacity": places,
        "registration_closes_at": timezone.now() + datetime.timedelta(days=days),
    }


def activity_world(w, k):
    """An activity of association k with one photo (made once per world)."""
    if ("activity", k) not in w:
        association = w[k]["association"]
        activity = make_activity(
            association,
            title=f"{association.name}經貿交流會",
            starts_on=timezone.localdate() + datetime.timedelta(days=14),
            members=[w[k]["person"]],
            photos=[(jpeg_upload(), "活動現場")],
            data=open_registration(),
        )
        registration = services.registration_create(activity=activity, person=w[k]["person"])
        w["activity", k] = {"activity": activity, "photo": activity.photos.get(), "registration": registration}
    return w["activity", k]


def co_organised_world(w, k):
    """A second activity of association k, the other association invited to co-organise it (made once)."""
    if ("co-organised", k) not in w:
        association = w[k]["association"]
        other = w["B" if k == "A" else "A"]["association"]
        activity = make_activity(association, title=f"{association.name}聯合主辦論壇")
        row = services.co_organiser_invite(activity=activity, association=other)
        w["co-organised", k] = {"activity": activity, "row": row}
    return w["co-organised", k]
