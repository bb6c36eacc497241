"""Open311 GeoReport v2 endpoints: built by the API chapter (issue 6)."""

app_name = "open311"

urlpatterns: list = []
