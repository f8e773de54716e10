"""Exports written to a temporary file first (XLSX, PDF: their formats are finished only at the end) are
streamed back from it in chunks, read off the event loop, and the file is closed when done or abandoned."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import IO

READ_CHUNK = 64 * 1024


async def stream_and_close(file: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while True:
            data = await asyncio.to_thread(file.read, READ_CHUNK)
            if not data:
                return
            yield data
    finally:
        file.close()
