"""Root conftest: shared fixtures live in fazhi.core.tests.fixtures (settings: fazhi.settings_test)."""

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["fazhi.core.tests.fixtures"]

# Property tests check answers, not speed: no per-example deadline and no "generation is slow"
# health check, which a loaded machine (the suite runs on every core) trips without a defect.
settings.register_profile("fazhi", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fazhi")


@pytest.fixture(autouse=True)
def _forget_intake_units():
    """The intake unit is remembered per process (procedures.services.inputs): a rolled-back
    test's units must not reach the next test."""
    from fazhi.procedures.services.inputs import forget_intake

    forget_intake()
    yield
    forget_intake()
