"""Client wire shapes (Clockify `ClientCreate`, `ClientUpdate`, `Client`)."""

from __future__ import annotations

from typing import Literal

from punchclock.kit.wire import Email, Input, Name, Output, ShortText


class ClientCreate(Input):
    name: Name | None = None
    email: Email | None = None
    address: ShortText | None = None
    note: ShortText | None = None


class ClientUpdate(Input):
    name: Name | None = None
    email: Email | None = None
    address: ShortText | None = None
    note: ShortText | None = None
    archived: bool | None = None
    cc_emails: list[Email] | None = None
    currency_id: str | None = None


class ClientOut(Output):
    id: str
    name: str
    workspace_id: str
    archived: bool
    address: str | None
    note: str | None
    email: str | None
    cc_emails: list[str]
    currency_id: str | None
    currency_code: str | None


ClientSort = Literal["NAME", "EMAIL", "NOTE"]
