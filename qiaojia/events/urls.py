from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("new/", views.event_create, name="event-create"),
    path("p/<slug:slug>/", views.event_public, name="event-public"),
    path("open/", views.joinable_list, name="joinable-list"),
    path("<int:pk>/associations/<int:association>/join/", views.join_request_create, name="join-request-create"),
    path("join-requests/<int:pk>/withdraw/", views.join_request_withdraw, name="join-request-withdraw"),
    path("join-requests/<int:pk>/decide/", views.join_request_decide, name="join-request-decide"),
    path("<int:pk>/", views.event_detail, name="event-detail"),
    path("<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("<int:pk>/status/", views.event_status, name="event-status"),
    path("<int:pk>/quotas/", views.event_quotas, name="event-quotas"),
    path("<int:pk>/delegations/", views.delegation_list, name="delegation-list"),
    path("<int:pk>/delegations/new/", views.delegation_create, name="delegation-create"),
    path("<int:pk>/waitlist/promote/", views.waitlist_promote, name="waitlist-promote"),
    path("<int:pk>/check-ins/", views.event_check_ins, name="event-check-ins"),
    path("<int:pk>/delegates/export/", views.event_export, name="event-export"),
    path("<int:pk>/door/", views.event_door, name="event-door"),
    path("<int:pk>/c/<str:token>/", views.check_in, name="check-in"),
    path("delegations/<int:pk>/", views.delegation_detail, name="delegation-detail"),
    path("delegations/<int:pk>/edit/", views.delegation_edit, name="delegation-edit"),
    path("delegations/<int:pk>/submit/", views.delegation_submit, name="delegation-submit"),
    path("delegations/<int:pk>/withdraw/", views.delegation_withdraw, name="delegation-withdraw"),
    path("delegations/<int:pk>/review/", views.delegation_review, name="delegation-review"),
    path("delegations/<int:pk>/badges/", views.delegation_badges, name="delegation-badges"),
    path("delegations/<int:pk>/delegates/new/", views.delegate_create, name="delegate-create"),
    path("delegates/<int:pk>/edit/", views.delegate_edit, name="delegate-edit"),
    path("delegates/<int:pk>/delete/", views.delegate_delete, name="delegate-delete"),
    path("delegates/<int:pk>/badge/", views.delegate_badge, name="delegate-badge"),
]
