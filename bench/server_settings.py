"""Settings of the server the HTTP benchmark starts: the project's own, plus two bare views
(``bench.urls``) as the framework's floor, without debug overhead, on the bench's database."""

import os

from backoffice.settings import *  # noqa: F403
from backoffice.settings import DATABASES

ROOT_URLCONF = "bench.urls"
DEBUG = False  # no query log, as in production (the rest of the settings stay local ones)
DATABASES["default"]["NAME"] = os.environ["BENCH_DB_NAME"]
