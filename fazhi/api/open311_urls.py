"""Open311 GeoReport v2 endpoints (/open311/v2/): the format is the path's extension."""

from django.urls import re_path

from fazhi.api import open311_views as views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)"

urlpatterns = [
    re_path(rf"^services{FMT}$", views.service_list, name="services"),
    re_path(rf"^services/(?P<code>[^/]+?){FMT}$", views.service_definition, name="service"),
    re_path(rf"^requests{FMT}$", views.requests, name="requests"),
    re_path(rf"^requests/(?P<reference>[^/]+?){FMT}$", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FMT}$", views.token_detail, name="token"),
]
