"""Domain errors of the procedure engine. Each carries a plain Chinese message for the user.

Views, the API and imports catch ``ProcedureError`` and show ``str(error)``; a state problem
is never reported as a permission problem (STYLE.md).
"""

from __future__ import annotations

from fazhi.core import storage


class ProcedureError(ValueError):
    """Base of every engine error; ``field`` names the offending input when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class UnknownProcedure(ProcedureError):  # noqa: N818 the domain's own names (STYLE.md lists them)
    pass


class UnknownAction(ProcedureError):  # noqa: N818
    pass


class InvalidTransition(ProcedureError):  # noqa: N818
    """The action may not follow the matter's current state (or its guard refused)."""


class MissingData(ProcedureError):  # noqa: N818
    """A required field of the action or the matter is absent."""


class InvalidData(ProcedureError):  # noqa: N818
    """A field is present but wrong (type, choice, format, length)."""


class NotAllowed(ProcedureError):  # noqa: N818
    """The actor's role or scope does not allow this action on this matter."""


class InvalidDate(ProcedureError):  # noqa: N818
    """A date of effect is malformed, in the future, or before an earlier step."""


class DuplicateMatter(ProcedureError):  # noqa: N818
    """A matter with this procedure and reference exists already."""


class StorageUnavailable(ProcedureError, storage.StorageUnavailable):  # noqa: N818
    """The server cannot store a file now (disk full, read-only or missing storage): nothing
    was stored; the API answers 503 with Retry-After, the pages say so in the form."""
