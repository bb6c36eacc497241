"""schemathesis over the whole OpenAPI schema, in-process through WSGI (issue 19, "Build and
prove"): used by the suite (a bounded number of cases, ``test_schema.py``) and by
``bench/bench_schemathesis.py`` (a long run).

Every generated request, with a staff token and without one, positive and negative data: no
5xx, the status code documented, the content type documented, the body valid against the
documented schema.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class FuzzResult:
    operations: int = 0
    cases: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    unsatisfiable: list[str] = field(default_factory=list)
    seconds: float = 0.0


@contextlib.contextmanager
def keep_connection() -> Iterator[None]:
    """Django closes the connection after each WSGI request; a test's transaction must live.

    (Django's own test client disconnects the same handlers for the same reason.)
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def served_schema() -> dict[str, Any]:
    """The schema ``/api/v1/schema/?format=json`` serves (to staff only: docs/api.md), made
    in-process, so that the fuzzing without a token has it too."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def fuzz_api(
    token: str | None,
    *,
    real_ids: dict[str, Any],
    max_examples: int,
    modes: tuple[GenerationMode, ...] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
    derandomize: bool = True,
) -> FuzzResult:
    """Run every operation of ``/api/v1/schema/`` ``max_examples`` times per mode."""
    app = get_wsgi_application()
    result = FuzzResult()
    started = time.monotonic()
    headers = {"Authorization": f"Token {token}"} if token else {}
    with keep_connection():
        schema = schemathesis.openapi.from_dict(served_schema())
        schema.app = app
        operations = [r.ok() for r in schema.get_all_operations()]
        result.operations = len(operations)
        for operation in operations:
            for mode in modes:
                _fuzz_one(operation, mode, headers, real_ids, max_examples, derandomize, result)
    result.seconds = time.monotonic() - started
    return result


def _fuzz_one(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    real_ids: dict[str, Any],
    max_examples: int,
    derandomize: bool,
    result: FuzzResult,
) -> None:
    try:
        strategy = operation.as_strategy(generation_mode=mode)
    except Exception:  # an operation without inputs has no negative data
        return

    @given(case=strategy)
    @settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=derandomize,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        params = case.path_parameters or {}
        for name, real in real_ids.items():
            value = params.get(name)
            if mode == GenerationMode.POSITIVE and value is not None and len(str(value)) % 2:
                params[name] = real  # aim at a real object half the time: deeper code paths
        response = case.call(headers=headers)
        result.cases += 1
        result.statuses[response.status_code] = result.statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup, AssertionError) as exc:
            summary = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            result.failures.append(
                f"[{mode.value}] {operation.method.upper()} {operation.path} → "
                f"{response.status_code}: {summary}\n  {case.as_curl_command()}"
            )

    try:
        run()
    except Unsatisfiable:  # no negative data for an operation with nothing to get wrong
        result.unsatisfiable.append(f"[{mode.value}] {operation.method.upper()} {operation.path}")
