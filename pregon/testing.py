"""pytest plugin (`-p pregon.testing` in pyproject): environment for the test suite,
set before pytest-django reads the settings."""

import os

os.environ.setdefault("PREGON_HTTPS", "false")
os.environ.setdefault("PREGON_TASKS_BACKEND", "immediate")
os.environ.setdefault("SECRET_KEY", "pregon-tests-only-secret-key-0123456789abcdefghijkl")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API
