"""The platform's URLs plus a bare view: the floor a page's requests/s is compared with."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as platform_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [*platform_urlpatterns, path("bench/bare/", bare, name="bench-bare")]
