"""Settings of the DRF side of the benchmark.

Configured as the original runs (DEBUG off, the default middleware stack,
SimpleJWT, ScopedRateThrottle, PageNumberPagination, django-filter,
SearchFilter, OrderingFilter, persistent connections) and read from
BENCH_* variables set by `igny8-bench`. Django's own tables live in the
schema "drf" of the bench database (first on the search_path); the
igny8_keywords table is found in "public" behind it.
"""
import os
from datetime import timedelta

SECRET_KEY = os.environ["BENCH_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "django_filters",
    "keywords",
]

MIDDLEWARE = [
    "keywords.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "benchdrf.urls"
WSGI_APPLICATION = "benchdrf.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["BENCH_DB_NAME"],
        "USER": os.environ.get("BENCH_DB_USER", "postgres"),
        "PASSWORD": os.environ.get("BENCH_DB_PASSWORD", ""),
        "HOST": os.environ.get("BENCH_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("BENCH_DB_PORT", "5432"),
        # Persistent connections, as a production deployment sets.
        "CONN_MAX_AGE": 600,
        "OPTIONS": {"options": "-c search_path=drf,public"},
    }
}

# Throttle history lives in each worker's memory (locmem), as asked.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["keywords.auth.BenchJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "keywords.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "keywords.pagination.EnvelopePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
    # DRF keeps one timestamp per request of the window in the cache and
    # re-pickles the list on every request, so a window of a minute at
    # bench rates would make the throttle's cost grow through the run. A
    # one-second window keeps the history as long as a production window
    # at the original's rates (tens of entries) while never answering 429.
    "DEFAULT_THROTTLE_RATES": {"planner": os.environ.get("BENCH_THROTTLE_RATE", "100000/second")},
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(hours=12),
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
