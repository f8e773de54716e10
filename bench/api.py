"""A tiny keep-alive JSON client over http.client, for readiness checks and set-up (seeding), not for load."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable
from typing import Any

from bench.errors import BenchError


class Api:
    def __init__(self, port: int, api_key: str | None = None, timeout: float = 30.0) -> None:
        self.port = port
        self.api_key = api_key
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """(status, decoded JSON body or None). One retry on a dropped keep-alive connection."""
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["X-Api-Key"] = self.api_key
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self._conn.request(method, path, body=payload, headers=headers)
                response = self._conn.getresponse()
                data = response.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt == 2:
                    raise
                continue
            decoded = json.loads(data) if data and data[:1] in (b"{", b"[") else None
            return response.status, decoded
        raise AssertionError("unreachable")

    def expect(self, method: str, path: str, body: Any = None, status: int | tuple[int, ...] = 200) -> Any:
        got, decoded = self.request(method, path, body)
        wanted = status if isinstance(status, tuple) else (status,)
        if got not in wanted:
            raise BenchError(f"{method} {path} answered {got}, expected {wanted}: {decoded!r}")
        return decoded

    def wait_ready(self, path: str, deadline: float, alive: Callable[[], bool] | None = None) -> None:
        """Poll `path` until it answers 200, the deadline passes, or `alive()` says the server died."""
        last: object = None
        while time.monotonic() < deadline:
            if alive is not None and not alive():
                raise BenchError("the server exited while starting")
            try:
                status, _ = self.request("GET", path)
                if status == 200:
                    return
                last = status
            except OSError as exc:
                last = exc
                self.close()
            time.sleep(0.1)
        raise BenchError(f"the server did not answer GET {path} in time (last: {last!r})")
