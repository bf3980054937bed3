"""Retention of news: an image file no article image names is an orphan."""

from qiaojia.core import retention

from .models import ArticleImage
from .services import IMAGE_FOLDER

retention.register_folder(IMAGE_FOLDER, lambda: ArticleImage.objects.values_list("file", flat=True))
