"""Error codes of the notifications app: services raise them; ``core.api`` renders them."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from core.errors import AppError


class MessagingErrorCode(StrEnum):
    SELF_MESSAGE = "self_message"
    UNKNOWN_RECEIVER = "unknown_receiver"
    EMPTY_CONTENT = "empty_content"
    NOT_RECEIVER = "not_receiver"
    NOT_SENDER = "not_sender"
    ALREADY_READ = "already_read"


MESSAGING_ERROR_TEXT = {
    MessagingErrorCode.SELF_MESSAGE: _("You cannot send a message to yourself."),
    MessagingErrorCode.UNKNOWN_RECEIVER: _("There is no active user with this id."),
    MessagingErrorCode.EMPTY_CONTENT: _("A message cannot be empty."),
    MessagingErrorCode.NOT_RECEIVER: _("Only the receiver can mark a message as read."),
    MessagingErrorCode.NOT_SENDER: _("Only the sender can change or delete a message."),
    MessagingErrorCode.ALREADY_READ: _(
        "The receiver has read this message; it can no longer be changed or deleted."
    ),
}


_FIELD_OF_ERROR = {
    MessagingErrorCode.SELF_MESSAGE: "receiver",
    MessagingErrorCode.UNKNOWN_RECEIVER: "receiver",
    MessagingErrorCode.EMPTY_CONTENT: "content",
}


class MessagingError(AppError):
    status_of_code = {
        MessagingErrorCode.NOT_RECEIVER: 403,
        MessagingErrorCode.NOT_SENDER: 403,
        MessagingErrorCode.ALREADY_READ: 409,
    }

    def __init__(self, code: MessagingErrorCode) -> None:
        super().__init__(
            str(MESSAGING_ERROR_TEXT[code]), code=code, field=_FIELD_OF_ERROR.get(code)
        )


class PermanentDeliveryError(Exception):
    """The provider refused the message for good (e.g. an invalid number): retrying cannot
    help, so the outbox marks it failed at once instead of spending its attempts."""
