from django.urls import path

from . import views

app_name = "volunteering"
urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("new/", views.campaign_create, name="campaign-create"),
    path("<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign-edit"),
    path("<int:pk>/status/", views.campaign_status, name="campaign-status"),
    path("<int:pk>/shifts/new/", views.shift_create, name="shift-create"),
    path("<int:pk>/beneficiaries/new/", views.beneficiary_create, name="beneficiary-create"),
    path("shifts/<int:pk>/edit/", views.shift_edit, name="shift-edit"),
    path("shifts/<int:pk>/sign-up/", views.signup_create, name="signup-create"),
    path("sign-ups/<int:pk>/cancel/", views.signup_cancel, name="signup-cancel"),
    path("sign-ups/<int:pk>/hours/", views.hours_record, name="hours-record"),
    path("sign-ups/<int:pk>/confirm/", views.hours_confirm, name="hours-confirm"),
    path("beneficiaries/<int:pk>/edit/", views.beneficiary_edit, name="beneficiary-edit"),
    path("donations/", views.donation_list, name="donation-list"),
    path("donations/export/", views.donation_export, name="donation-export"),
    path("donations/new/", views.donation_create, name="donation-create"),
    path("donations/<int:pk>/edit/", views.donation_edit, name="donation-edit"),
    path("donations/<int:pk>/delete/", views.donation_delete, name="donation-delete"),
    path("totals/", views.totals, name="totals"),
]
