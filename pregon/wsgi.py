import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
application = get_wsgi_application()

from pregon.core import preload  # noqa: E402 - needs the settings above

preload.warm()  # once in gunicorn's master, before it forks the workers
