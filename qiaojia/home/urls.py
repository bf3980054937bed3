from django.urls import path

from . import views

app_name = "home"
# Mounted at the site's root: the paths are the ones the pages had when they lived in core.
urlpatterns = [
    path("", views.home, name="index"),
    path("me/", views.mine, name="mine"),
    path("admin-tools/audit/", views.audit_list, name="audit-list"),
    path("admin-tools/audit/export/", views.audit_export, name="audit-export"),
]
