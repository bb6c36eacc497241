"""Staff pages of the disputes domain (included at the root by core.domains.domain_urlpatterns)."""

from django.urls import path

from fazhi.disputes import views
from fazhi.disputes.documents import DOCUMENTS

app_name = "disputes"

urlpatterns = [
    # reconsideration-acceptance, -correction, -decision: the papers of one case as .docx
    path(
        f"workbench/reconsideration/<int:pk>/{slug}.docx",
        views.ReconsiderationDocumentView.as_view(),
        {"kind": slug},
        name=f"reconsideration-{slug}",
    )
    for slug in DOCUMENTS
]
