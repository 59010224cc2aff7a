"""Every failure as one JSON shape: ``{"error": {"code": ..., "message": ...}}``.

The project's error hierarchy (:mod:`careerkg.errors`) is mapped to HTTP status
codes here and only here. Malformed JSON (400), a body that is not JSON where JSON is
read (415), validation errors (422), a duplicate guide (409), unknown routes (404), wrong methods (405) and
unexpected exceptions (500) get the same shape; no stack trace
and no server-side file path ever reaches a client.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from careerkg.api.http_rules import body_error, original_method
from careerkg.errors import (CareerKGError, Duplicate, Forbidden, InvalidInput, LLMError, NotFound, Overloaded,
                             QueryTimeout, StoreError, TooLarge, Unauthorized)
from careerkg.graph.sparql import NotAcceptable

log = logging.getLogger("careerkg.api")


class UnsupportedMediaType(InvalidInput):
    """The request body's Content-Type is not one this route accepts (415)."""

    code = "unsupported_media_type"


# most specific first: NotAcceptable, TooLarge and UnsupportedMediaType are InvalidInput too
STATUS: list[tuple[type[CareerKGError], int]] = [
    (NotAcceptable, 406),
    (TooLarge, 413),
    (UnsupportedMediaType, 415),
    (InvalidInput, 400),
    (Unauthorized, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Duplicate, 409),
    (QueryTimeout, 504),
    (Overloaded, 503),
    (StoreError, 503),
    (LLMError, 502),
]

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
               422: "validation_error", 429: "too_many_requests", 500: "internal_error", 503: "unavailable"}

# an absolute file path not inside a URL (":" or "/" before the slash means an IRI)
_PATH = re.compile(r"(?<![\w:/.~-])/(?:[\w.@+~-]+/)+[\w.@+~-]*")


def public_message(message: str) -> str:
    """A message safe to show a client: server file paths replaced, length bounded."""
    msg = _PATH.sub("<path>", message)
    return msg if len(msg) <= 2000 else msg[:2000] + "…"


def status_for(exc: CareerKGError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None, *,
                   scrub: bool = True) -> JSONResponse:
    """The JSON error body; ``scrub=False`` only for messages built from the client's own request."""
    msg = public_message(message) if scrub else message[:2000]
    return JSONResponse({"error": {"code": code, "message": msg}}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body",)]
        where = ".".join(loc) if loc else "body"
        msg = err.get("msg", "invalid value")
        parts.append(f"{where}: {msg}")
    return "; ".join(parts) or "invalid request"


async def _careerkg_error(request: Request, exc: CareerKGError) -> JSONResponse:
    status = status_for(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="careerkg"'
    if status == 503:
        headers["Retry-After"] = "2"
    message = str(exc) or exc.__class__.__name__
    if isinstance(exc, StoreError):
        log.error("store error on %s %s: %s", request.method, request.url.path, exc)
        message = "a backing store is unavailable; try again later"
    elif status == 500:
        log.error("unmapped careerkg error on %s %s: %r", request.method, request.url.path, exc)
    return error_response(status, exc.code, message, headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    whole = body_error(list(exc.errors()), getattr(exc, "body", None), request.headers.get("content-type"))
    if whole is not None:  # malformed JSON (400) or not JSON at all (415)
        status, code, message = whole
        return error_response(status, code, message, scrub=False)
    return error_response(422, "validation_error", _validation_message(exc))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = _HTTP_CODES.get(exc.status_code, "error")
    detail = exc.detail if isinstance(exc.detail, str) else code
    scrub = True
    method = original_method(request)
    if exc.status_code == 404 and detail == "Not Found":
        detail, scrub = f"no route {method} {request.url.path}", False
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        detail, scrub = f"method {method} not allowed on {request.url.path}", False
        allow = [m.strip() for m in headers.get("allow", headers.get("Allow", "")).split(",") if m.strip()]
        if "GET" in allow and "HEAD" not in allow:  # api.http_rules.HeadAsGet answers HEAD wherever GET works
            headers.pop("allow", None)
            headers["Allow"] = ", ".join([*allow, "HEAD"])
    return error_response(exc.status_code, code, detail, headers, scrub=scrub)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "internal error; the server log has the details")


def install(app: FastAPI) -> None:
    """Register the handlers that give every failure the one JSON shape."""
    app.add_exception_handler(CareerKGError, _careerkg_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
