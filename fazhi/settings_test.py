"""Settings for the test suite: the production settings, with a test-only key and hosts.

The values are supplied through the environment exactly as a deployment would, so the
suite exercises the same fail-closed settings code (no branches on how the code is run).
"""

import os

os.environ.setdefault("FAZHI_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("FAZHI_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("FAZHI_SECURE_COOKIES", "0")
os.environ.setdefault("FAZHI_LOCAL_CONFIG", "off")  # a demo's var/local.json in the checkout

from fazhi.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only

# The test-only sample domain (fazhi/tests/sample): a domain app added by its folder alone.
INSTALLED_APPS = [*INSTALLED_APPS, "fazhi.tests.sample"]  # noqa: F405
