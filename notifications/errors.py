"""Error codes of the notifications app: services raise them, interfaces map them to a status."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


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


class MessagingError(Exception):
    def __init__(self, code: MessagingErrorCode) -> None:
        self.code = code
        self.message = str(MESSAGING_ERROR_TEXT[code])
        super().__init__(self.message)


class PermanentDeliveryError(Exception):
    """The provider refused the message for good (e.g. an invalid number): retrying cannot
    help, so the outbox marks it failed at once instead of spending its attempts."""
