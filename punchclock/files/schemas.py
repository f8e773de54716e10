"""File wire shapes (Clockify `ImageUploadResponse`)."""

from __future__ import annotations

from punchclock.kit.wire import Output


class ImageUploaded(Output):
    name: str
    url: str
