from django.urls import path

from . import views, views_calendar

app_name = "home"
# Mounted at the site's root: the paths are the ones the pages had when they lived in core.
urlpatterns = [
    path("", views.home, name="index"),
    path("calendar/", views_calendar.calendar_list, name="calendar-list"),
    path("calendar/feed.ics", views_calendar.calendar_feed, name="calendar-feed"),
    path("me/", views.mine, name="mine"),
    path("admin-tools/audit/", views.audit_list, name="audit-list"),
    path("admin-tools/audit/export/", views.audit_export, name="audit-export"),
]
