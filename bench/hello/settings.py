"""The hello-world baseline: Django with no apps, no middleware and no database.

bench/run.py serves it with the same gunicorn settings as the newsroom, and every newsroom
figure is printed as a share of its requests/s, so results compare across machines.
"""

import os

ALLOWED_HOSTS = ["127.0.0.1"]
DATABASES = {}
DEBUG = False
INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "urls"
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
USE_TZ = True
