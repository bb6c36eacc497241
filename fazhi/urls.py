"""Top-level URLs: public site at /, staff workbench at /workbench/, admin, API, Open311."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("workbench/", include("fazhi.workbench.urls")),
    path("workbench/", include("fazhi.core.urls")),
    path("workbench/indicators/", include("fazhi.indicators.urls")),
    path("workbench/reports/", include("fazhi.reports.urls")),
    path("workbench/io/", include("fazhi.procedures.urls")),
    path("api/v1/", include("fazhi.api.urls")),
    path("open311/v2/", include("fazhi.api.open311_urls")),
    path("reports/", include("fazhi.reports.public_urls")),
    path("", include("fazhi.portal.urls")),
]

handler400 = "fazhi.portal.views.bad_request"  # plain Chinese; an oversize body answers 413

admin.site.site_header = "法治政府建设工作平台 · 基础数据管理"
admin.site.site_title = "法治 · 管理后台"
