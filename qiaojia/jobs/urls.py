from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("<int:pk>/result/", views.job_result, name="job-result"),
    path("exports/<int:pk>/", views.export_detail, name="export-detail"),
    path("exports/<int:pk>/file/", views.export_download, name="export-file"),
]
