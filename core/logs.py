"""Log lines as plain text (the default) or one JSON object each (``LOG_FORMAT=json``), and the
request id every line written while a request is served carries.

The request id comes from the client's ``X-Request-ID`` header when it is a short string of
safe characters (a load balancer or the storefront may set one, so one id follows a request
across hosts), or is made here; ``backoffice.request_log.RequestLogMiddleware`` sets it for the
request and returns it in the ``X-Request-ID`` response header. Kept free of app imports: the
settings' logging is configured before the apps load, and uvicorn loads this module from its
own log configuration (``runbackoffice``).
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and - _ . : up to 64 characters: a UUID, a ULID, a load balancer's trace id;
# nothing that could break a log line or a header.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "martaf_request_id", default=None
)

# The fields a request line adds (``extra=`` of the request log's records).
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")


def request_id_from(header: str | None) -> str:
    """The client's id when it is safe to repeat, else a fresh one."""
    if header and _SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _request_id.get()


def bind_request_id(value: str | None) -> contextvars.Token:
    return _request_id.set(value)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or ``-`` outside a request) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True


def _request_id_of(record: logging.LogRecord) -> str | None:
    value = getattr(record, "request_id", None) or current_request_id()
    return None if value in (None, "-") else value


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, the
    request fields when the record has them, and the traceback as ``exc_info`` if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            # null outside a request (start-up, tasks); the filter writes "-" for plain text.
            "request_id": _request_id_of(record),
        }
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


def formatter_config(log_format: str) -> dict:
    """The ``formatters`` entry of a logging dict config for ``LOG_FORMAT``."""
    if log_format == "json":
        return {"()": "core.logs.JsonFormatter"}
    return {"format": PLAIN_FORMAT}


def uvicorn_log_config(log_format: str, level: str = "INFO") -> dict:
    """uvicorn's own loggers (start-up, errors) in the same format as the application's; its
    access log is off (the application logs each request itself, with its id and duration)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter_config(log_format)},
        "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
