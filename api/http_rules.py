"""HTTP as clients expect it: ``HEAD`` wherever ``GET`` works; a full ``Allow``; media-type and JSON errors told apart.

* :class:`HeadAsGet` answers ``HEAD`` on every route that answers ``GET`` (FastAPI routes
  only list the methods they were declared with): the request runs as ``GET`` and the
  body is dropped, so status and headers (``Content-Length`` included) are the ``GET``'s.
  Where ``GET`` is not allowed either, the 405 names ``HEAD`` and lists what is allowed.
* Every ``405``'s ``Allow`` header lists every method the path answers (RFC 9110 §15.5.6):
  Starlette names only the methods of the first route whose path matched, so ``PUT /sparql``
  said ``GET`` although ``POST`` works too; :func:`allowed_methods` gathers all the routes.
* :func:`body_error` (used by :mod:`careerkg.api.errors`) turns FastAPI's request-validation errors
  about the body itself into 400 (malformed JSON, with the parser's reason and position)
  or 415 (a body that is not JSON sent to a route that reads a JSON model).
"""

from __future__ import annotations

import email.message

ORIGINAL_METHOD = "careerkg.original_method"
_METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def allowed_methods(app, scope) -> list[str]:
    """Every method some route of ``app`` answers on the request's path (``HEAD`` wherever ``GET``), in a fixed order.

    Each method is tried against the routes' own ``matches`` (the request with only its method
    changed), so routes included from routers count and the HTML pages' ``Accept`` rule holds.
    Mounted apps (static files) are left out: they answer their own 405s.
    """
    from starlette.routing import Match, Mount

    routes = [r for r in getattr(getattr(app, "router", None), "routes", ()) if not isinstance(r, Mount)]
    methods = {m for m in _METHOD_ORDER
               if any(r.matches({**scope, "method": m})[0] is Match.FULL for r in routes)}
    if "GET" in methods:
        methods.add("HEAD")
    return [m for m in _METHOD_ORDER if m in methods]


def _full_allow(scope, send):
    """``send`` that rewrites a 405's ``Allow`` header to every method the path answers."""
    async def send_allow(message):
        if message["type"] == "http.response.start" and message.get("status") == 405 and "app" in scope:
            allow = allowed_methods(scope["app"], scope)
            if allow:
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"allow"]
                message = {**message, "headers": [*headers, (b"allow", ", ".join(allow).encode())]}
        await send(message)

    return send_allow


class HeadAsGet:
    """Run ``HEAD`` requests as ``GET`` and send no body; give every 405 the full ``Allow`` header."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        send = _full_allow(scope, send)
        if scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def no_body(message):
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        return await self.app({**scope, "method": "GET", ORIGINAL_METHOD: "HEAD"}, receive, no_body)


def original_method(request) -> str:
    """The method the client sent (``HEAD`` although the app saw ``GET``)."""
    return request.scope.get(ORIGINAL_METHOD) or request.method


def is_json_media_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    msg = email.message.Message()
    msg["content-type"] = content_type
    sub = msg.get_content_subtype()
    return msg.get_content_maintype() == "application" and (sub == "json" or sub.endswith("+json"))


def body_error(errors: list[dict], body, content_type: str | None) -> tuple[int, str, str] | None:
    """``(status, code, message)`` when the body as a whole is wrong, else ``None`` (a 422 then).

    * ``json_invalid`` (the body does not parse): 400 ``invalid_json`` with the parser's reason,
      line and column.
    * the body reached the model as raw bytes (FastAPI does that when the ``Content-Type`` is
      not JSON): 415 ``unsupported_media_type``.
    """
    for err in errors:
        if err.get("type") == "json_invalid":
            return 400, "invalid_json", json_error_message(err, body)
    for err in errors:
        if tuple(err.get("loc") or ())[:1] == ("body",) and isinstance(err.get("input"), bytes | bytearray) \
                and not is_json_media_type(content_type):
            shown = (content_type or "").split(";")[0].strip()[:100] or "none"
            return 415, "unsupported_media_type", (f"unsupported Content-Type {shown!r}: send the body as JSON "
                                                   "with 'Content-Type: application/json'")
    return None


def json_error_message(error: dict, body) -> str:
    """``malformed JSON body: Expecting ',' delimiter (line 1, column 14)`` from a ``json_invalid`` error."""
    reason = (error.get("ctx") or {}).get("error") or "invalid JSON"
    loc = tuple(error.get("loc") or ())
    pos = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    where = ""
    if pos is not None:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes | bytearray) else body
        if isinstance(text, str):
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            where = f" (line {line}, column {col})"
        else:
            where = f" (character {pos})"
    return f"malformed JSON body: {reason}{where}"
