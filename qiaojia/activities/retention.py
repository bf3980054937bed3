"""Retention of activities: a photo file no photo row names is an orphan."""

from qiaojia.core import retention

from .models import ActivityPhoto
from .services import PHOTO_FOLDER

retention.register_folder(PHOTO_FOLDER, lambda: ActivityPhoto.objects.values_list("file", flat=True))
