"""Retention of meetings: sign-in details are reduced to attendance QIAOJIA_SIGN_IN_RETENTION_DAYS after
the meeting; a photo file no photo row names is an orphan."""

import datetime

from django.conf import settings

from qiaojia.core import retention

from .models import Photo
from .services import PHOTO_FOLDER, participant_sign_in_expire


def _sign_ins(*, now: datetime.datetime, dry_run: bool) -> int:
    before = now - datetime.timedelta(days=settings.QIAOJIA_SIGN_IN_RETENTION_DAYS)
    return participant_sign_in_expire(before=before, dry_run=dry_run)


retention.register("meeting_sign_ins", "meeting sign-in details", _sign_ins)
retention.register_folder(PHOTO_FOLDER, lambda: Photo.objects.values_list("file", flat=True))
