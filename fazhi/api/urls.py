"""REST API v1 (staff): built by the API chapter (issue 6)."""

app_name = "api"

urlpatterns: list = []
