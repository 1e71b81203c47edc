"""Factbase's settings with a cache that every process on this machine shares (a folder,
FACTBASE_TEST_CACHE_DIR): the two app instances of the replica tests then see each other's
read-your-writes pins, as instances sharing Redis would."""

import os

from factbase.settings import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["FACTBASE_TEST_CACHE_DIR"],
    }
}
