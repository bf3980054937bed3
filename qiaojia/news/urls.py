from django.urls import path, register_converter

from . import views
from .feeds import NewsFeed


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(TwoDigits, "news2d")

app_name = "news"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("feed/", NewsFeed(), name="feed"),
    path("association/<int:pk>/", views.association_news, name="association"),
    path("association/<int:pk>/feed/", NewsFeed(), name="association-feed"),
    path("<int:year>/<news2d:month>/<news2d:day>/<slug:slug>/", views.article, name="article"),
    path("images/<int:pk>/", views.image, name="image"),
    path("manage/", views.article_list, name="article-list"),
    path("manage/new/", views.article_create, name="article-create"),
    path("manage/import/", views.article_import, name="article-import"),
    path("manage/<int:pk>/", views.article_detail, name="article-detail"),
    path("manage/<int:pk>/edit/", views.article_edit, name="article-edit"),
    path("manage/<int:pk>/submit/", views.article_submit, name="article-submit"),
    path("manage/<int:pk>/publish/", views.article_publish, name="article-publish"),
    path("manage/<int:pk>/return/", views.article_return, name="article-return"),
    path("manage/<int:pk>/withdraw/", views.article_withdraw, name="article-withdraw"),
    path("manage/<int:pk>/images/new/", views.image_create, name="image-create"),
    path("manage/images/<int:pk>/edit/", views.image_edit, name="image-edit"),
    path("manage/images/<int:pk>/move/", views.image_move, name="image-move"),
    path("manage/images/<int:pk>/delete/", views.image_delete, name="image-delete"),
]
