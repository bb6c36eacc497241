"""Top-level URLs: public site at /, staff workbench at /workbench/, admin, API, Open311."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fazhi.core.domains import domain_urlpatterns
from fazhi.core.views import LoginView, healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
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
    *domain_urlpatterns(),  # each domain app's urls.py (its public and staff pages)
    path("", include("fazhi.portal.urls")),
]

# Plain Chinese in the site's layout, JSON on the API (fazhi/core/errorpages.py)
handler400 = "fazhi.portal.views.bad_request"  # an oversize body answers 413
handler403 = "fazhi.core.errorpages.permission_denied"
handler404 = "fazhi.core.errorpages.page_not_found"
handler500 = "fazhi.core.errorpages.server_error"  # a database fault answers 503

admin.site.site_header = f"{settings.FAZHI_SITE_NAME} · 基础数据管理"
admin.site.site_title = f"{settings.FAZHI_SITE_NAME} · 管理后台"
