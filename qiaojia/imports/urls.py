from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="import-list"),
    path("new/", views.import_create, name="import-create"),
    path("template.xlsx", views.import_template, name="import-template"),
    path("uploads/<int:pk>/", views.upload_detail, name="upload-detail"),
    path("<int:pk>/", views.import_detail, name="import-detail"),
    path("<int:pk>/map/", views.import_map, name="import-map"),
    path("<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("<int:pk>/report/", views.import_report, name="import-report"),
]
