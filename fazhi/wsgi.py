"""WSGI entry point (``gunicorn fazhi.wsgi``, or ``fazhi serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

application = get_wsgi_application()
