from django.urls import path

from . import views

app_name = "cycle"
urlpatterns = [
    path("priorities/", views.priorities_list, name="priorities-list"),
    path("priorities/new/", views.priorities_create, name="priorities-create"),
    path("priorities/<int:pk>/", views.priorities_detail, name="priorities-detail"),
    path("priorities/<int:pk>/edit/", views.priorities_edit, name="priorities-edit"),
    path("priorities/<int:pk>/publish/", views.priorities_publish, name="priorities-publish"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/dashboard/", views.dashboard, name="dashboard"),
    path("associations/<int:pk>/reports/<int:year>/start/", views.report_start, name="report-start"),
    path("associations/<int:pk>/reports/<int:year>/remind/", views.report_remind, name="report-remind"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/autosave/", views.report_autosave, name="report-autosave"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("reports/<int:pk>/return/", views.report_return, name="report-return"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report-accept"),
    path("reports/<int:pk>/file/", views.report_file, name="report-file"),
    path("reports/<int:pk>/attach/<slug:kind>/", views.report_attach, name="report-attach"),
    path("reports/<int:pk>/declaration/", views.report_declaration, name="report-declaration"),
    path("reports/<int:pk>/plan/new/", views.plan_item_create, name="plan-item-create"),
    path("reports/<int:pk>/plan/carry-over/", views.plan_carry_over, name="plan-carry-over"),
    path("plan/", views.plan_list, name="plan-list"),
    path("plan/<int:pk>/", views.plan_item_detail, name="plan-item-detail"),
    path("plan/<int:pk>/edit/", views.plan_item_edit, name="plan-item-edit"),
    path("plan/<int:pk>/delete/", views.plan_item_delete, name="plan-item-delete"),
    path("plan/<int:pk>/progress/", views.progress_create, name="progress-create"),
    path("files/<int:pk>/", views.file_download, name="file-download"),
    path("compilation/", views.compilation, name="compilation"),
]
