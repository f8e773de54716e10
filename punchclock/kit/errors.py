"""Errors in Clockify's wire shape: every failure is `{"message": str, "code": int}`."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from punchclock.kit.db import UnstorableText

# Clockify's numeric codes (FACTS "Error bodies and status codes").
CODE_VALIDATION = 501
CODE_BAD_PARAM = 3000
CODE_MISSING_PARAM = 3001
CODE_BAD_ENUM = 3002
CODE_NO_AUTH = 1000
CODE_UNKNOWN_KEY = 4003
CODE_BAD_ADDON_TOKEN = 4017

log = logging.getLogger("punchclock")


class ApiError(Exception):
    """A refusal the client is meant to see, rendered as Clockify renders it."""

    def __init__(
        self, status: int, message: str, code: int = CODE_VALIDATION, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}


def bad_request(message: str, code: int = CODE_VALIDATION) -> ApiError:
    return ApiError(400, message, code)


def not_in_workspace(entity: str) -> ApiError:
    """Unknown, deleted, foreign and malformed ids are all refused the same way (FACTS "IDs")."""
    return ApiError(400, f"{entity} doesn't belong to Workspace", CODE_VALIDATION)


def access_denied() -> ApiError:
    return ApiError(403, "Access Denied", 403)


class ErrorBody(msgspec.Struct):
    message: str
    code: int


def error_response(
    status: int, message: str, code: int, headers: dict[str, str] | None = None
) -> Response[Any]:
    return Response(
        content=ErrorBody(message=message, code=code),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


def _api_error(_: Request[Any, Any, Any], exc: ApiError) -> Response[Any]:
    return error_response(exc.status, exc.message, exc.code, exc.headers)


_JAVA_TYPES = {"bool": "java.lang.Boolean", "int": "int", "float": "double", "str": "java.lang.String"}


def _validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if isinstance(item, dict) and item.get("source") == "query":
            return _bad_query_param(request, str(item.get("key")), str(item.get("message", "")))
    return error_response(400, describe_validation(exc), CODE_VALIDATION)


def _bad_query_param(request: Request[Any, Any, Any], key: str, problem: str) -> Response[Any]:
    """Spring's wording for unparseable query parameters, echoing the value (FACTS "Error bodies")."""
    if key not in request.query_params:
        # Litestar names the Python parameter; the client sent its alias (kebab, or camel as `pageSize`).
        head, *rest = key.split("_")
        camel = head + "".join(part.title() for part in rest)
        key = camel if camel in request.query_params else key.replace("_", "-")
    raw = request.query_params.get(key)
    if raw is None:
        return error_response(400, f"Required request parameter '{key}' is not present", CODE_MISSING_PARAM)
    if "enum" in problem.lower():
        return error_response(400, f"No enum constant for parameter '{key}': {raw}", CODE_BAD_ENUM)
    expected = problem.removeprefix("Expected `").split("`")[0].split(" | ")[0]
    java_type = _JAVA_TYPES.get(expected, "java.lang.String")
    detail = f"Invalid boolean value [{raw}]" if expected == "bool" else f'For input string: "{raw}"'
    message = (
        f"Method parameter '{key}': Failed to convert value of type 'java.lang.String' "
        f"to required type '{java_type}'; {detail}"
    )
    return error_response(400, message, CODE_BAD_PARAM)


def describe_validation(exc: ValidationException) -> str:
    """Turn Litestar's validation report into one readable sentence naming the field."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    parts = []
    for item in extra:
        if isinstance(item, dict):
            key = item.get("key")
            message = str(item.get("message", "invalid value"))
            if key and key != "data":
                parts.append(f"{key}: {message}")
            elif message == "'data'":  # Litestar's report of an absent body
                parts.append("Required request body is missing")
            else:
                parts.append(message)
    if parts:
        return "; ".join(parts)
    detail = exc.detail or "Invalid request"
    return detail.replace("JSON is malformed", "Malformed JSON")


def _not_found(request: Request[Any, Any, Any], _: NotFoundException) -> Response[Any]:
    # Spring quotes the path after the servlet prefix, with a trailing period.
    original = str(request.scope.get("punchclock.original_path", request.url.path))
    shown = original.lstrip("/")
    if shown.startswith("clockify/"):
        shown = shown[len("clockify/") :]
    if shown.startswith("api/"):
        shown = shown[len("api/") :]
    return error_response(404, f"No static resource {shown}.", CODE_BAD_PARAM)


def _method_not_allowed(request: Request[Any, Any, Any], exc: MethodNotAllowedException) -> Response[Any]:
    headers = dict(exc.headers or {})
    return error_response(405, f"Request method '{request.method}' is not supported", CODE_BAD_PARAM, headers)


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        return _unexpected(request, exc)
    code = CODE_VALIDATION if status == 400 else status
    return error_response(status, exc.detail or "Request refused", code, dict(exc.headers or {}))


def _undecodable_body(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Litestar turns only `msgspec.DecodeError` into a 400; two hostile bodies escape its JSON decoder as
    other errors: bytes that are not UTF-8 (`UnicodeDecodeError`) and nesting deeper than the recursion
    limit (`RecursionError` "… while deserializing …"). Both are the client's fault, not a 500."""
    if isinstance(exc, UnicodeDecodeError):
        return error_response(400, "JSON is malformed: invalid UTF-8", CODE_VALIDATION)
    if isinstance(exc, RecursionError) and "deserializing" in str(exc):
        return error_response(400, "JSON is malformed: nested too deeply", CODE_VALIDATION)
    return _unexpected(request, exc)


def _unstorable_text(_: Request[Any, Any, Any], exc: UnstorableText) -> Response[Any]:
    return error_response(400, str(exc), CODE_VALIDATION)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error", 500)


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    ApiError: _api_error,
    ValidationException: _validation_error,
    NotFoundException: _not_found,
    MethodNotAllowedException: _method_not_allowed,
    HTTPException: _http_error,
    UnstorableText: _unstorable_text,
    UnicodeDecodeError: _undecodable_body,
    RecursionError: _undecodable_body,
    Exception: _unexpected,
}
