"""The one error type of the project's services: a code for programs, a message for people.

Every app declares its codes as a ``StrEnum`` and a subclass of ``AppError`` that says which
HTTP status each code stands for (``status_of_code``), so the one DRF exception handler
(``core.api.exception_handler``) renders every refusal the same way::

    {"detail": <message>, "code": <code>, <field>: [<message>], ...extra}

``AppError`` is a Django ``ValidationError``: admin forms show it on the field it names (or on
the form), and ``exc.messages`` works as for any validation error.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar

from django.core.exceptions import ValidationError


class AppError(ValidationError):
    """A refused operation.

    - ``code``: a member of the app's error-code enum (``error.code``, also ``error_code``).
    - ``message``: one sentence for the person who asked.
    - ``field``: the input field at fault, if one is (the API lists the message under it).
    - ``extra``: more keys for the API body (e.g. the order lines at fault).
    """

    #: HTTP status per code; a code not listed is a 400.
    status_of_code: ClassVar[Mapping[str, int]] = {}

    def __init__(
        self,
        message: str,
        *,
        code: StrEnum,
        field: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        if field:
            super().__init__({field: [ValidationError(message, code=code)]})
        else:
            super().__init__(message, code=code)
        self.message = message
        self.code = code
        self.error_code = code
        self.field = field
        self.extra = dict(extra or {})

    @property
    def status(self) -> int:
        return self.status_of_code.get(self.code, 400)

    def __str__(self) -> str:
        return str(self.message)
