"""Settings for the MARTAF backoffice (DJANGO_SETTINGS_MODULE = ``backoffice.settings``), one
module per concern.

Everything that differs between a laptop and production comes from the environment, read only
through ``core.env`` (docs/configuration.md). With nothing set, the project runs on an
embedded SQLite file, an in-memory channel layer and django-q2's ORM broker: safe defaults for
local use. Production mode is ``DEBUG=0``; it requires ``SECRET_KEY`` and passes
``manage.py check --deploy``.
"""

from .api import *  # noqa: F403
from .auth import *  # noqa: F403
from .base import *  # noqa: F403
from .catalogue import *  # noqa: F403
from .database import *  # noqa: F403
from .messaging import *  # noqa: F403
from .payments import *  # noqa: F403
from .security import *  # noqa: F403
from .storage import *  # noqa: F403
from .unfold import *  # noqa: F403
