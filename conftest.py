"""Root conftest: shared fixtures live in fazhi.core.tests.fixtures (settings: fazhi.settings_test)."""

from hypothesis import HealthCheck, settings

pytest_plugins = ["fazhi.core.tests.fixtures"]

# Property tests check answers, not speed: no per-example deadline and no "generation is slow"
# health check, which a loaded machine (the suite runs on every core) trips without a defect.
settings.register_profile("fazhi", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fazhi")
