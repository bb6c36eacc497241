"""What the renderers and their callers share: the formats, the links' kinds, the error."""

from typing import Literal

Links = Literal["drill", "anchor", "none"]
FORMATS = {"json": "json", "md": "md", "html": "html", "docx": "docx", "pdf": "pdf"}


class RendererUnavailableError(RuntimeError):
    """A renderer needs a program or library that is not installed; Chinese message."""
