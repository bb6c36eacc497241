from django.urls import path

from fazhi.core import views

app_name = "core"

urlpatterns = [
    path("orgs/", views.OrgUnitListView.as_view(), name="orgunit-list"),
    path("orgs/export.csv", views.OrgUnitExportView.as_view(), name="orgunit-export"),
    path("orgs/<int:pk>/", views.OrgUnitDetailView.as_view(), name="orgunit-detail"),
    path("people/", views.StaffListView.as_view(), name="staff-list"),
    path("people/export.csv", views.StaffExportView.as_view(), name="staff-export"),
    path("audit/", views.AuditLogView.as_view(), name="audit-list"),
]
