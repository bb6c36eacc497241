"""The indicator dashboard, drill-down (list and CSV) and the activity register (list, create).

Scope: the org select lists only the user's subtree (all units for the rule-of-law office,
leaders and administrators); an org outside it answers 404 (fazhi.core.scope.get_for_user).
"""

from fazhi.indicators.views.activities import (
    ActivityCreateView,
    ActivityForm,
    ActivityListView,
    actable_orgs,
)
from fazhi.indicators.views.dashboard import DashboardView, Row
from fazhi.indicators.views.drilldown import DrillDownView, drill_csv
from fazhi.indicators.views.selection import (
    PAGE_SIZE,
    Selection,
    default_org,
    intake_by_channel,
    latest_year_with_records,
    scope_orgs,
    select,
)

__all__ = [
    "PAGE_SIZE",
    "ActivityCreateView",
    "ActivityForm",
    "ActivityListView",
    "DashboardView",
    "DrillDownView",
    "Row",
    "Selection",
    "actable_orgs",
    "default_org",
    "drill_csv",
    "intake_by_channel",
    "latest_year_with_records",
    "scope_orgs",
    "select",
]
