from django.urls import include, path

from qiaojia.core import views as core_views
from qiaojia.orgs import views as org_views

urlpatterns = [
    path("", include("qiaojia.home.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("qiaojia.accounts.urls")),
    path("orgs/", include("qiaojia.orgs.urls")),
    path("members/", include("qiaojia.members.urls")),
    path("search/", include("qiaojia.search.urls")),
    path("imports/", include("qiaojia.imports.urls")),
    path("", include("qiaojia.exports.urls")),
    path("jobs/", include("qiaojia.jobs.urls")),
    path("cycle/", include("qiaojia.cycle.urls")),
    path("meetings/", include("qiaojia.meetings.urls")),
    path("notifications/", include("qiaojia.notifications.urls")),
    path("activities/", include("qiaojia.activities.urls")),
    path("events/", include("qiaojia.events.urls")),
    path("volunteering/", include("qiaojia.volunteering.urls")),
    path("news/", include("qiaojia.news.urls")),
    path("trade/", include("qiaojia.trade.urls")),
    path("voice/", include("qiaojia.voice.urls")),
    path("p/associations/<int:pk>/", org_views.association_public, name="orgs-public"),
]

# The error page knows the database being away from a fault of ours (503 rather than 500).
handler500 = "qiaojia.core.views.server_error"
