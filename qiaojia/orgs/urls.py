from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("associations/", views.association_list, name="association-list"),
    path("associations/export/", views.association_export, name="association-export"),
    path("associations/new/", views.association_create, name="association-create"),
    path("associations/<int:pk>/", views.association_detail, name="association-detail"),
    path("associations/<int:pk>/edit/", views.association_edit, name="association-edit"),
    path("associations/<int:pk>/officers/new/", views.term_create, name="term-create"),
    path("associations/<int:pk>/party-branch/", views.party_branch_edit, name="party-branch-edit"),
    path("terms/<int:pk>/edit/", views.term_edit, name="term-edit"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/export/", views.partner_export, name="partner-export"),
    path("partners/new/", views.partner_create, name="partner-create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path("partners/<int:pk>/liaisons/new/", views.liaison_create, name="liaison-create"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/new/", views.department_create, name="department-create"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department-edit"),
    path("federation/edit/", views.federation_edit, name="federation-edit"),
]
