"""The engine's models, one module a concern, all importable from ``fazhi.procedures.models``.

matter: Matter (one case of one procedure, one table for every procedure), its Step history,
attachments and reference counters; clock: Clock (each run of a time limit); reminders: Notification; activity: Activity (counted
events that are not cases); intake: IntakeRoute; imports: ImportRun; links: MatterLink (links between matters) and
MatterAssistant (assisting units, 会办); release: PublicRelease (staff's decision to publish).
"""

from fazhi.procedures.models.activity import Activity, ActivityQuerySet
from fazhi.procedures.models.clock import Clock, ClockQuerySet
from fazhi.procedures.models.imports import ImportRun
from fazhi.procedures.models.intake import IntakeRoute
from fazhi.procedures.models.links import LINK_WORDING, LinkKind, MatterAssistant, MatterLink
from fazhi.procedures.models.matter import (
    Attachment,
    Channel,
    Matter,
    MatterQuerySet,
    PartyKind,
    ReferenceCounter,
    Satisfaction,
    Step,
    StepHistoryError,
    attachment_path,
)
from fazhi.procedures.models.release import PublicRelease, ReleaseDecision
from fazhi.procedures.models.reminders import Notification, NotificationKind

__all__ = [
    "LINK_WORDING",
    "Activity",
    "ActivityQuerySet",
    "Attachment",
    "Channel",
    "Clock",
    "ClockQuerySet",
    "ImportRun",
    "IntakeRoute",
    "LinkKind",
    "Matter",
    "MatterAssistant",
    "MatterLink",
    "MatterQuerySet",
    "Notification",
    "NotificationKind",
    "PartyKind",
    "PublicRelease",
    "ReferenceCounter",
    "ReleaseDecision",
    "Satisfaction",
    "Step",
    "StepHistoryError",
    "attachment_path",
]
