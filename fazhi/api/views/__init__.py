"""The staff REST API (/api/v1/): parse input, call the engine, render (STYLE.md).

Every list starts from ``for_user``; every single object comes through
``fazhi.core.scope.get_for_user`` (404 for missing and forbidden alike); every change goes
through the engine (``register_matter``, ``act``, ``add_attachment``, ``record_activity``),
which checks roles and scope and raises ``ProcedureError`` with a Chinese message.
"""

from fazhi.api.views.activities import ActivityViewSet
from fazhi.api.views.catalog import IndicatorView, MeView, ProcedureViewSet
from fazhi.api.views.matters import MatterViewSet

__all__ = ["ActivityViewSet", "IndicatorView", "MatterViewSet", "MeView", "ProcedureViewSet"]
