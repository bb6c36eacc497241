"""Root conftest: shared fixtures live in fazhi.core.tests.fixtures (settings: fazhi.settings_test)."""

pytest_plugins = ["fazhi.core.tests.fixtures"]
