"""Indicator dashboard and drill-down (issue 5)."""

app_name = "indicators"

urlpatterns: list = []
