"""Development on one machine: debug on, SQLite by default, a throwaway secret key."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-not-for-production")
SIMPLE_JWT["SIGNING_KEY"] = env("JWT_SIGNING_KEY", default=None) or SECRET_KEY  # noqa: F405
AUTH_COOKIE_SECURE = env.bool("DJANGO_AUTH_COOKIE_SECURE", default=False)
