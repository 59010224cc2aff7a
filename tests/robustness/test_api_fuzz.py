"""Schemathesis against the OpenAPI schema of a real ``careerkg serve`` (issue 6, item 6).

A real server (uvicorn in a subprocess, on a copy of the seeded data dir, writes enabled
with a key) is fuzzed operation by operation with a bounded number of examples: every
response must be a non-5xx that conforms to the documented status codes, content types,
headers and response schemas. The bearer token is sent on every request so that the
write operations are exercised too (random guides are PUT and DELETEd on the copy).
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
