"""Schemathesis against the OpenAPI schema of a real ``careerkg serve`` (issue 6, item 6).

A real server (uvicorn in a subprocess, on a copy of the seeded data dir, writes enabled
with a key) is fuzzed operation by operation with a bounded number of examples: every
response must be a non-5xx that conforms to the documented status codes, content types,
headers and response schemas. The bearer token is sent on every request so that the
write operations are exercised too (random guides are PUT and DELETEd on the copy).

Issue 11 adds the house rules as checks of their own on every response: every error is
the one JSON shape, its code matches its status (malformed JSON 400 ``invalid_json``, a body
of the wrong media type 415), and every GET answered is answered the same way to HEAD.
"""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from bench.load import LiveServer

pytestmark = pytest.mark.slow

KEY = "fuzz-key-5b1e"
MAX_EXAMPLES = 30
# positive_data_acceptance (ST202) is left out: the service rightly refuses some schema-valid input
# (a blank question, an empty query or guide) with 400/422 and a clear message; the issue asks for
# no 5xx and conforming responses. Reported: the schema could say minLength/pattern for these.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
STATUS_CODES = {400: {"invalid_input", "invalid_json", "bad_request"}, 401: {"unauthorized"}, 403: {"forbidden"},
                404: {"not_found"}, 405: {"method_not_allowed"}, 406: {"not_acceptable"}, 413: {"too_large"},
                415: {"unsupported_media_type"}, 422: {"validation_error"}}


@schemathesis.check
def error_in_the_one_shape(ctx, response, case):
    """Every 4xx/5xx is ``{"error": {"code", "message"}}`` (JSON) with a code that fits its status."""
    if response.status_code < 400:
        return None
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), \
        f"{response.status_code} is not JSON: {response.headers.get('content-type')}"
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    allowed = STATUS_CODES.get(response.status_code)
    assert allowed is None or body["error"]["code"] in allowed, (response.status_code, body)
    return None


@schemathesis.check
def head_like_get(ctx, response, case):
    """A GET's status and content type are what HEAD answers for the same request, with no body."""
    if case.method.upper() != "GET":
        return None
    import requests

    sent = response.request
    r = requests.head(sent.url, headers={k: v for k, v in sent.headers.items() if k.lower() != "content-length"},
                      timeout=60)
    assert r.status_code == response.status_code, f"HEAD {r.status_code} vs GET {response.status_code}"
    assert r.content == b""
    return None


@pytest.fixture(scope="module")
def fuzz_server(seeded_data_copy, tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(seeded_data_copy, data)
    server = LiveServer(data, env={"API_KEY": KEY, "SPARQL_TIMEOUT": "2", "SPARQL_WORKERS": "2"}).start()
    yield server
    server.stop()


def _fuzzer(op, counts: dict[str, int]):
    """A Hypothesis test of one operation: calls the server, runs every schemathesis check."""

    @given(case=op.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case):
        counts[op.label] += 1
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {KEY}"}
        case.call_and_validate(excluded_checks=EXCLUDED, timeout=60)

    return fuzz


def test_no_5xx_and_responses_match_the_schema(fuzz_server):
    schema = schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json")
    failures: dict[str, str] = {}
    counts: dict[str, int] = {}
    for result in schema.get_all_operations():
        op = result.ok()
        counts[op.label] = 0
        try:
            _fuzzer(op, counts)()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every operation's failures
            failures[op.label] = f"{type(exc).__name__}: {str(exc)[:3000]}"
        assert fuzz_server.alive(), fuzz_server.tail()
    print(f"fuzzed {len(counts)} operations: {counts}")
    assert counts and not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
