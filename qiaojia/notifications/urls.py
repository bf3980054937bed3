from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("unread/", views.unread_count, name="unread-count"),
    path("<int:pk>/read/", views.notification_read, name="notification-read"),
    path("read-all/", views.read_all, name="read-all"),
]
