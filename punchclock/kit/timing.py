"""`Server-Timing: app;dur=<ms>` on every HTTP response: the time from the request reaching the app to its
response headers being sent (routing, auth, the handler and its SQL, serialisation), as browsers' dev
tools, proxies and the bench read it. Costs two perf_counter calls and one header."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from time import perf_counter
from typing import Any

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
Receive = Callable[[], Awaitable[Message]]
Asgi = Callable[[Any, Any, Any], Awaitable[None]]

HEADER = b"server-timing"


class ServerTiming:
    """ASGI middleware around the whole app (outermost, so alias-prefix routing is counted too)."""

    __slots__ = ("app",)

    def __init__(self, app: Asgi) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (perf_counter() - started) * 1000.0
                headers = list(message.get("headers") or ())
                headers.append((HEADER, b"app;dur=%.2f" % took))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, timed)


def parse(value: str | None) -> float | None:
    """The `app` duration in ms from a Server-Timing header value (None when absent)."""
    for metric in (value or "").split(","):
        name, _, params = metric.strip().partition(";")
        if name == "app":
            for param in params.split(";"):
                key, _, number = param.strip().partition("=")
                if key == "dur":
                    try:
                        return float(number)
                    except ValueError:
                        return None
    return None
