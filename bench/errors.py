"""The one exception the bench raises for things that stop a measurement (as opposed to missed targets)."""

from __future__ import annotations


class BenchError(Exception):
    """A server did not start, wrk failed, a set-up request was refused…: the run exits non-zero."""
