"""pytest plugin (`-p pregon.testing` in pyproject): environment for the test suite,
set before pytest-django reads the settings."""

import os
import threading

os.environ.setdefault("PREGON_HTTPS", "false")
os.environ.setdefault("PREGON_TASKS_BACKEND", "immediate")
os.environ.setdefault("SECRET_KEY", "pregon-tests-only-secret-key-0123456789abcdefghijkl")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API


def pytest_configure(config):
    """The browser tests' live server answers each request in its own thread. On
    SQLite the test database lives in memory and every thread shares one
    connection, so two requests at once (a batch upload sends several) interleave
    their savepoints. Serialise requests in that case; PostgreSQL keeps them
    concurrent."""
    # Django's test modules only once pytest-django has configured the settings.
    from django.core.servers.basehttp import ThreadedWSGIServer  # noqa: PLC0415 - see above
    from django.test.testcases import LiveServerThread  # noqa: PLC0415 - see above

    class SharedConnectionServer(ThreadedWSGIServer):
        def set_app(self, application):
            if not self.connections_override:
                return super().set_app(application)
            lock = threading.Lock()

            def serialised(environ, start_response):
                with lock:
                    # Read the whole answer inside the lock: a streamed body
                    # may still query the database.
                    return list(application(environ, start_response))

            return super().set_app(serialised)

    LiveServerThread.server_class = SharedConnectionServer
