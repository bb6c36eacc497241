"""REST API v1 for staff and client systems (/api/v1/), with its OpenAPI schema and docs."""

from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from fazhi.api import views

app_name = "api"

router = SimpleRouter()
router.register("matters", views.MatterViewSet, basename="matter")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("procedures", views.ProcedureViewSet, basename="procedure")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up script as a file (?script): no inline script
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    path("indicators/", views.IndicatorView.as_view(), name="indicators"),
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
