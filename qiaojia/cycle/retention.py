"""Retention of the cycle's files: a file no attachment names is an orphan."""

from qiaojia.core import retention

from .files import SUBDIR
from .models import Attachment

retention.register_folder(SUBDIR, lambda: Attachment.objects.values_list("file", flat=True))
