from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("<int:pk>/result/", views.job_result, name="job-result"),
]
