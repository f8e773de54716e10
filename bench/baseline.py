"""The baseline: a bare Litestar "hello" app, served by granian exactly as `punchclock serve` serves ours.

    python -m bench.baseline --port 8099 --workers 2

Whatever punchclock adds on top of Litestar + granian (auth, the database, our serialisation) shows up as
the ratio of an endpoint's throughput to this one's.
"""

from __future__ import annotations

import argparse

from litestar import Litestar, get

PATH = "/hello"


@get(PATH)
async def hello() -> dict[str, str]:
    return {"hello": "world"}


app = Litestar(route_handlers=[hello], logging_config=None, openapi_config=None)


def main() -> None:
    from granian.constants import Interfaces, Loops
    from granian.log import LogLevels
    from granian.server import Server

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    print(f"baseline listening on http://{args.host}:{args.port}{PATH}", flush=True)
    # The same settings as punchclock/cli/serve.py, so that only the application differs.
    Server(
        target="bench.baseline:app",
        address=args.host,
        port=args.port,
        workers=args.workers,
        interface=Interfaces.ASGI,
        loop=Loops.auto,
        log_level=LogLevels("warning"),
        backlog=2048,
    ).serve()


if __name__ == "__main__":
    main()
