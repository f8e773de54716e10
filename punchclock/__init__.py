"""punchclock: a self-hosted time tracker that speaks the Clockify API v1."""

__version__ = "0.1.0"
