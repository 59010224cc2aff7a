"""Dependencies of the routes: settings, the runtime's services, the SPARQL runner, write auth.

Routes take these as ``Annotated`` aliases (``SettingsDep``, ``RuntimeDep``, ...).
Services are built once in the app's lifespan and kept on ``app.state``; the
settings a request sees come from :func:`get_settings`, which tests override with
``app.dependency_overrides[get_settings] = lambda: Settings(...)``.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from careerkg.errors import Forbidden, InvalidInput, Overloaded, TooLarge, Unauthorized
from careerkg.settings import Settings


def get_settings(request: Request) -> Settings:
    """The settings the app was created with (override in tests)."""
    return request.app.state.settings


def get_runtime(request: Request):
    """The :class:`careerkg.api.runtime.Runtime` built at start-up."""
    rt = getattr(request.app.state, "runtime", None)
    if rt is None:
        raise Overloaded("the service is starting up; try again shortly")
    return rt


def get_sparql_runner(request: Request):
    """The :class:`careerkg.api.sparql_pool.QueryRunner` serving ``/sparql``."""
    runner = getattr(request.app.state, "sparql", None)
    if runner is None:
        raise Overloaded("the SPARQL service is starting up; try again shortly")
    return runner


SettingsDep = Annotated[Settings, Depends(get_settings)]
RuntimeDep = Annotated[object, Depends(get_runtime)]
SparqlRunnerDep = Annotated[object, Depends(get_sparql_runner)]


def require_writer(request: Request, settings: SettingsDep) -> None:
    """Allow the request only with ``Authorization: Bearer $CAREERKG_API_KEY`` (constant-time comparison).

    Raises:
        Forbidden: no API key is configured (writes are off).
        Unauthorized: the header is missing, malformed or carries the wrong key.
    """
    if not settings.api_key:
        raise Forbidden("writing is disabled: no API key is configured; set CAREERKG_API_KEY and restart "
                        "the service, then send 'Authorization: Bearer <key>'")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("this operation needs 'Authorization: Bearer <CAREERKG_API_KEY>'")
    if not hmac.compare_digest(token.strip().encode("utf-8"), settings.api_key.encode("utf-8")):
        raise Unauthorized("wrong API key")


WriterDep = Depends(require_writer)


async def read_body(request: Request, limit: int, what: str = "the request body") -> bytes:
    """The request body, refused with :class:`TooLarge` as soon as it passes ``limit`` bytes
    (by ``Content-Length`` before reading, or while streaming when there is none)."""
    length = request.headers.get("content-length")
    if length is not None:
        try:
            n = int(length)
        except ValueError:
            raise InvalidInput("invalid Content-Length header") from None
        if n > limit:
            raise TooLarge(f"{what} is {n:,} bytes; the limit is {limit:,}")
    buf = bytearray()
    async for part in request.stream():
        buf += part
        if len(buf) > limit:
            raise TooLarge(f"{what} is over the limit of {limit:,} bytes")
    return bytes(buf)
