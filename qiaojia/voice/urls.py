from django.urls import path

from . import views

app_name = "voice"
urlpatterns = [
    path("", views.opinion_list, name="opinion-list"),
    path("export/", views.opinion_export, name="opinion-export"),
    path("new/", views.opinion_create, name="opinion-create"),
    path("rates/", views.rates, name="rates"),
    path("rates/export/", views.rates_export, name="rates-export"),
    path("<int:pk>/", views.opinion_detail, name="opinion-detail"),
    path("<int:pk>/acknowledge/", views.opinion_acknowledge, name="opinion-acknowledge"),
    path("<int:pk>/route/", views.opinion_route, name="opinion-route"),
    path("<int:pk>/extend/", views.opinion_extend, name="opinion-extend"),
    path("<int:pk>/reply/", views.opinion_reply, name="opinion-reply"),
    path("<int:pk>/merge/", views.opinion_merge, name="opinion-merge"),
    path("<int:pk>/file/", views.opinion_file, name="opinion-file"),
    path("p/new/", views.public_create, name="public-create"),
    path("p/sent/", views.public_receipt, name="public-receipt"),
    path("p/track/", views.public_track, name="public-track"),
]
