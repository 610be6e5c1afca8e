"""Logging filters the settings name (kept free of app imports: logging is configured before
the apps load)."""

import logging

from django.core.exceptions import PermissionDenied


class PermissionDeniedWithoutTraceback(logging.Filter):
    """A 403 is an answer, not a fault (a manufacturer opened a staff page): keep Django's
    one-line "Forbidden (Permission denied): /path" and drop the traceback it attaches."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
