from django.urls import path

from . import views

app_name = "exports"
# Mounted at the site's root: the background exports' pages keep the paths they had under jobs/, which
# notices already sent link to.
urlpatterns = [
    path("exports/<str:name>/", views.source_export, name="source"),
    path("jobs/exports/<int:pk>/", views.export_detail, name="detail"),
    path("jobs/exports/<int:pk>/file/", views.export_download, name="file"),
]
