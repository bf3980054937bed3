from django.urls import include, path

from . import views, views_deals

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

# Introductions, signed projects, the rate table and the digest (views_deals).
urlpatterns += [
    path("<int:pk>/interest/", views_deals.interest_create, name="interest-create"),
    path("<int:pk>/broker/", views_deals.broker_create, name="broker-create"),
    path("introductions/", views_deals.introduction_list, name="introduction-list"),
    path("introductions/export/", views_deals.introduction_export, name="introduction-export"),
    path("introductions/<int:pk>/", views_deals.introduction_detail, name="introduction-detail"),
    path("introductions/<int:pk>/answer/", views_deals.introduction_answer, name="introduction-answer"),
    path("introductions/<int:pk>/note/", views_deals.introduction_move, name="introduction-move"),
    path("projects/", views_deals.project_list, name="project-list"),
    path("projects/export/", views_deals.project_export, name="project-export"),
    path("projects/new/", views_deals.project_create, name="project-create"),
    path("projects/<int:pk>/", views_deals.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views_deals.project_edit, name="project-edit"),
    path("projects/<int:pk>/follow-up/", views_deals.project_follow_up, name="project-follow-up"),
    path("rates/", views_deals.rate_list, name="rate-list"),
    path("rates/new/", views_deals.rate_create, name="rate-create"),
    path("digest/", views_deals.digest_settings, name="digest-settings"),
]
