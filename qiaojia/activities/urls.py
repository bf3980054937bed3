from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="activity-list"),
    path("export/", views.activity_export, name="activity-export"),
    path("new/", views.activity_create, name="activity-create"),
    path("open/", views.open_list, name="open-list"),
    path("<int:pk>/register/", views.registration_create, name="registration-create"),
    path("<int:pk>/registrations/", views.registration_list, name="registration-list"),
    path("<int:pk>/attendance/", views.attendance_record, name="attendance-record"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration-cancel"),
    path("<int:pk>/", views.activity_detail, name="activity-detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("<int:pk>/photos/new/", views.photo_create, name="photo-create"),
    path("<int:pk>/co-organisers/new/", views.co_organiser_create, name="co-organiser-create"),
    path("co-organisers/<int:pk>/answer/", views.co_organiser_answer, name="co-organiser-answer"),
    path("co-organisers/<int:pk>/delete/", views.co_organiser_delete, name="co-organiser-delete"),
    path("photos/<int:pk>/", views.photo_file, name="photo-file"),
    path("photos/<int:pk>/edit/", views.photo_edit, name="photo-edit"),
    path("photos/<int:pk>/move/", views.photo_move, name="photo-move"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo-delete"),
]
