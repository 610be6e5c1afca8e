"""Refusals of review writes: the codes and HTTP statuses they had when reviews lived in the
catalogue, so the API answers exactly as before."""

from enum import StrEnum

from core.errors import AppError


class ReviewErrorCode(StrEnum):
    REVIEW_ALREADY_REVIEWED = "review_already_reviewed"
    REVIEW_OWN_PRODUCT = "review_own_product"
    REVIEW_PRODUCT_NOT_PUBLIC = "review_product_not_public"
    REVIEW_NOT_AUTHOR = "review_not_author"
    REVIEW_STAFF_ONLY = "review_staff_only"
    REVIEW_INVALID_TRANSITION = "review_invalid_transition"
    REVIEW_REASON_REQUIRED = "review_reason_required"


class ReviewError(AppError):
    """A refused review write: a message for people, a code for programs, maybe a field."""

    status_of_code = {
        ReviewErrorCode.REVIEW_NOT_AUTHOR: 403,
        ReviewErrorCode.REVIEW_STAFF_ONLY: 403,
        ReviewErrorCode.REVIEW_INVALID_TRANSITION: 409,
    }  # the rest are 400
