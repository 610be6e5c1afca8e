"""Refusals of the money app's writes: a code for programs, a sentence for people (rendered by
``core.api``'s one exception handler; the admin shows the message)."""

from enum import StrEnum

from core.errors import AppError


class RefundErrorCode(StrEnum):
    # The request itself (400)
    NOTHING_TO_REFUND = "nothing_to_refund"
    INVALID_QUANTITY = "invalid_quantity"
    UNKNOWN_LINE = "unknown_line"
    REASON_REQUIRED = "reason_required"
    # The state of the world (409)
    NOT_PAID = "not_paid"
    TOO_MUCH = "too_much"
    NOT_PENDING = "not_pending"
    # Who asks (403)
    STAFF_ONLY = "staff_only"


class RefundError(AppError):
    status_of_code = {
        RefundErrorCode.NOT_PAID: 409,
        RefundErrorCode.TOO_MUCH: 409,
        RefundErrorCode.NOT_PENDING: 409,
        RefundErrorCode.STAFF_ONLY: 403,
    }
