"""A reconsideration's page: its case file (案卷) as a block, with links to its papers (docx)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from fazhi.core.nav import MatterPanel, register_matter_panel
from fazhi.disputes import documents
from fazhi.disputes.casefile import CODE, case_file
from fazhi.procedures.models import Matter


def case_file_panel(matter: Matter, request: HttpRequest) -> dict[str, Any]:
    """The case file and the papers it has reached (受理通知书 once accepted …)."""
    file = case_file(matter)
    papers = [
        (label, reverse(f"disputes:reconsideration-{slug}", args=[matter.pk]))
        for slug, (label, _, available) in documents.DOCUMENTS.items()
        if available(file)
    ]
    return {"file": file, "papers": papers}


register_matter_panel(CODE, MatterPanel("disputes/reconsideration_file.html", case_file_panel))
