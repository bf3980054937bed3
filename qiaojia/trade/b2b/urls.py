"""B2B matchmaking's routes, inside trade's namespace (trade:b2b-...)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.session_list, name="b2b-list"),
    path("events/<int:event_pk>/open/", views.session_open, name="b2b-open"),
    path("<int:pk>/", views.session_detail, name="b2b-detail"),
    path("<int:pk>/join/", views.participant_join, name="b2b-join"),
    path("<int:pk>/request/", views.meeting_request, name="b2b-request"),
    path("<int:pk>/meetings/", views.session_meetings, name="b2b-meetings"),
    path("<int:pk>/meetings/export/", views.session_export, name="b2b-export"),
    path("meetings/<int:pk>/answer/", views.meeting_answer, name="b2b-answer"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="b2b-cancel"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="b2b-record"),
    path("participants/<int:pk>/agenda/", views.agenda, name="b2b-agenda"),
    path("participants/<int:pk>/agenda.pdf", views.agenda_pdf, name="b2b-agenda-pdf"),
]
