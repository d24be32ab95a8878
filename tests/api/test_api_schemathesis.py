"""Schemathesis against the OpenAPI description: generated requests, valid and invalid, find no
5xx and no answer that breaks the description (status codes, content types, response schemas).

The description is read from the running application inside the test, where the test data
exists. The organization filters (?organizer=, ?counterpart=) take any organization's identifier
or exact name: the description cannot list which exist (it listed them once, from the database,
which does not scale), so a well-formed name of no organization is a 400 that the positive
mode's "valid data is accepted" check cannot foresee. That one check is left out for requests
using those two filters; tests/events/test_event_filters.py checks their answers.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation.modes import GenerationMode

from tests.factories import build_record

EXAMPLES = 25


@pytest.fixture
def api_schema(db):
    build_record()
    # As Django's test client does: keep the test's transaction open across WSGI requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def check_operation(operation, mode):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        names_an_organization = bool({"organizer", "counterpart"} & set(case.query or {}))
        case.call_and_validate(excluded_checks=[positive_data_acceptance] if names_an_organization else None)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_description(api_schema, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 16  # list and detail of eight collections
    for operation in operations:
        check_operation(operation, mode)
