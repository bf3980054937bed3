from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("export/", views.meeting_export, name="meeting-export"),
    path("new/", views.meeting_create, name="meeting-create"),
    path("<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("<int:pk>/status/", views.meeting_status, name="meeting-status"),
    path("<int:pk>/invite/", views.meeting_invite, name="meeting-invite"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes-edit"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="meeting-attendance"),
    path("<int:pk>/attendance/export/", views.attendance_export, name="attendance-export"),
    path("<int:pk>/sign-in-sheet/", views.meeting_sign_in_sheet, name="meeting-sign-in-sheet"),
    path("<int:pk>/record.pdf", views.meeting_pdf, name="meeting-pdf"),
    path("<int:pk>/agenda/new/", views.agenda_create, name="agenda-create"),
    path("<int:pk>/participants/new/", views.participant_create, name="participant-create"),
    path("<int:pk>/resolutions/new/", views.resolution_create, name="resolution-create"),
    path("<int:pk>/tasks/new/", views.task_create, name="task-create"),
    path("<int:pk>/photos/new/", views.photo_create, name="photo-create"),
    path("agenda/<int:pk>/edit/", views.agenda_edit, name="agenda-edit"),
    path("agenda/<int:pk>/move/", views.agenda_move, name="agenda-move"),
    path("agenda/<int:pk>/delete/", views.agenda_delete, name="agenda-delete"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant-edit"),
    path("participants/<int:pk>/delete/", views.participant_delete, name="participant-delete"),
    path("participants/<int:pk>/mark/", views.participant_mark, name="participant-mark"),
    path("participants/<int:pk>/unlock/", views.participant_unlock, name="participant-unlock"),
    path("resolutions/<int:pk>/edit/", views.resolution_edit, name="resolution-edit"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("photos/<int:pk>/", views.photo_file, name="photo-file"),
    path("photos/<int:pk>/edit/", views.photo_edit, name="photo-edit"),
    path("photos/<int:pk>/move/", views.photo_move, name="photo-move"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo-delete"),
    path("s/<str:token>/", views.sign_in, name="sign-in"),
]
