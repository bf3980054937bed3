from django.urls import include, path

from . import views

app_name = "trade"
urlpatterns = [
    path("", views.offer_list, name="offer-list"),
    path("export/", views.offer_export, name="offer-export"),
    path("new/", views.offer_create, name="offer-create"),
    path("matches/", views.match_list, name="match-list"),
    path("<int:pk>/", views.offer_detail, name="offer-detail"),
    path("<int:pk>/edit/", views.offer_edit, name="offer-edit"),
    path("<int:pk>/submit/", views.offer_submit, name="offer-submit"),
    path("<int:pk>/publish/", views.offer_publish, name="offer-publish"),
    path("<int:pk>/return/", views.offer_return, name="offer-return"),
    path("<int:pk>/withdraw/", views.offer_withdraw, name="offer-withdraw"),
    path("<int:pk>/files/new/", views.attachment_create, name="attachment-create"),
    path("files/<int:pk>/", views.attachment_file, name="attachment-file"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment-delete"),
    path("directory/", views.profile_list, name="profile-list"),
    path("directory/export/", views.profile_export, name="profile-export"),
    path("directory/<int:pk>/", views.profile_detail, name="profile-detail"),
    path("enterprises/<int:pk>/profile/", views.profile_edit, name="profile-edit"),
    path("p/", views.public_list, name="public-list"),
    path("p/<int:pk>/", views.public_detail, name="public-detail"),
    path("b2b/", include("qiaojia.trade.b2b.urls")),
]
