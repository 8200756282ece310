"""Schemathesis against the web API's OpenAPI schema (issue 12, item 14): generated requests for every
`/api/` operation get no 5xx and responses that match the schema (status codes, content types, bodies).

A short run (a few examples per operation) in `make test`; `IMMCOURT_SCHEMATHESIS_EXAMPLES=500` for a
longer one.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from immcourt.web.app import create_app
from tests.builders import MiniRelease

EXAMPLES = int(os.environ.get("IMMCOURT_SCHEMATHESIS_EXAMPLES", "12"))


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    release = MiniRelease()
    release.case(1, nat="HO").proceeding(1, 10, comp="2020-01-15", dec="X", court="HOU")
    release.case(2, nat="GT").proceeding(2, 20, comp="2021-02-15", dec="R", court="SFR")
    release.application(2, 20, "ASYL", "G")
    store = release.store(tmp_path_factory.mktemp("schemathesis"))
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(store))


def test_api_conforms_to_its_schema(api_schema):
    # Driven by hand rather than by schemathesis' pytest plugin (its collection hook does not run on
    # this pytest); the checks are schemathesis' own (call_and_validate: no 5xx, status codes, content
    # types and bodies as declared) but positive_data_acceptance: a schema cannot say that a dimension
    # belongs to one metric or that `at` goes only with pending, so such valid-looking values get a
    # declared 400/422 naming why.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/stats", "/api/check", "/api/metrics", "/api/release"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
            assert response.status_code < 500

        check()
