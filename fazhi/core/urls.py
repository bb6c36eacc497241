from django.urls import path

from fazhi.core import views, views_jobs

app_name = "core"

urlpatterns = [
    path("orgs/", views.OrgUnitListView.as_view(), name="orgunit-list"),
    path("orgs/export.csv", views.OrgUnitExportView.as_view(), name="orgunit-export"),
    path("orgs/<int:pk>/", views.OrgUnitDetailView.as_view(), name="orgunit-detail"),
    path("people/", views.StaffListView.as_view(), name="staff-list"),
    path("people/export.csv", views.StaffExportView.as_view(), name="staff-export"),
    path("audit/", views.AuditLogView.as_view(), name="audit-list"),
    path("jobs/", views_jobs.JobListView.as_view(), name="job-list"),
    path("jobs/<int:pk>/", views_jobs.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/output", views_jobs.JobOutputView.as_view(), name="job-output"),
]
