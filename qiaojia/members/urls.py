from django.urls import path

from . import rights_views, views, views_duplicates, views_picker

app_name = "members"
urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/export/", views.person_export, name="person-export"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/pick/", views_picker.person_pick, name="person-pick"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/reveal/<str:field>/", views.person_reveal, name="person-reveal"),
    path("duplicates/", views_duplicates.duplicate_list, name="duplicate-list"),
    path("duplicates/<int:a>/<int:b>/", views_duplicates.duplicate_compare, name="duplicate-compare"),
    path("duplicates/<int:a>/<int:b>/dismiss/", views_duplicates.duplicate_dismiss, name="duplicate-dismiss"),
    path("duplicates/pending/<int:pk>/", views_duplicates.pending_review, name="pending-review"),
    path("duplicates/pending/<int:pk>/decide/", views_duplicates.pending_decide, name="pending-decide"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/export/", views.enterprise_export, name="enterprise-export"),
    path("enterprises/new/", views.enterprise_create, name="enterprise-create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership-edit"),
    path("people/<int:pk>/personal-data/", rights_views.person_data, name="person-data"),
    path("people/<int:pk>/consent/withdraw/", rights_views.person_consent_withdraw, name="person-consent-withdraw"),
    path("people/<int:pk>/erase/", rights_views.person_erase, name="person-erase"),
]
