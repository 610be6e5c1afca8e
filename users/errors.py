"""Error codes of the accounts flows and the exception services raise with them.

Services raise ``AccountError(AccountErrorCode.X)``; the status each code stands for is declared
here and the project's one exception handler (``core.api``) renders it. The messages are the
seed's wording where the seed gives one.
"""

from enum import StrEnum

from core.errors import AppError


class AccountErrorCode(StrEnum):
    INVALID_CREDENTIALS = "invalid_credentials"
    REFRESH_TOKEN_MISSING = "refresh_token_missing"
    REFRESH_TOKEN_INVALID = "refresh_token_invalid"
    REFRESH_TOKEN_REUSED = "refresh_token_reused"
    RESET_EMAIL_UNKNOWN = "reset_email_unknown"
    RESET_TOKEN_INVALID = "reset_token_invalid"
    RESET_TOKEN_EXPIRED = "reset_token_expired"
    PHONE_UNKNOWN = "phone_unknown"
    SMS_NOT_CONFIGURED = "sms_not_configured"
    NO_ROLE_PROFILE = "no_role_profile"
    GOOGLE_NOT_AUTHENTICATED = "google_not_authenticated"
    GOOGLE_ACCOUNT_NOT_FOUND = "google_account_not_found"
    GOOGLE_EMAIL_NOT_FOUND = "google_email_not_found"
    ONE_TIME_LOGIN_INVALID = "one_time_login_invalid"
    ONE_TIME_LOGIN_EXPIRED = "one_time_login_expired"
    STAFF_SELF_DELETE = "staff_self_delete"
    ACCOUNT_DELETE_BLOCKED = "account_delete_blocked"
    ONBOARDING_STAFF_ONLY = "onboarding_staff_only"
    ONBOARDING_REASON_REQUIRED = "onboarding_reason_required"
    ONBOARDING_NOT_ALLOWED = "onboarding_not_allowed"
    CROSS_SITE_REFUSED = "cross_site_refused"
    MFA_REQUIRED = "mfa_required"
    MFA_SETUP_REQUIRED = "mfa_setup_required"
    MFA_TOKEN_INVALID = "mfa_token_invalid"
    MFA_TOKEN_EXPIRED = "mfa_token_expired"
    MFA_CODE_INVALID = "mfa_code_invalid"


MESSAGES: dict[AccountErrorCode, str] = {
    AccountErrorCode.INVALID_CREDENTIALS: "Email or Password is incorrect",
    AccountErrorCode.REFRESH_TOKEN_MISSING: "Refresh token missing",
    AccountErrorCode.REFRESH_TOKEN_INVALID: "Invalid refresh token",
    AccountErrorCode.REFRESH_TOKEN_REUSED: (
        "Invalid refresh token: it was already used, so this session has been signed out. "
        "Please log in again."
    ),
    AccountErrorCode.RESET_EMAIL_UNKNOWN: "No active account found with this email address.",
    AccountErrorCode.RESET_TOKEN_INVALID: "Invalid or already used password reset token.",
    AccountErrorCode.RESET_TOKEN_EXPIRED: "The password reset token has expired.",
    AccountErrorCode.PHONE_UNKNOWN: "No active account found with this phone number.",
    AccountErrorCode.SMS_NOT_CONFIGURED: (
        "SMS is not configured on this server: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
        "TWILIO_FROM_NUMBER."
    ),
    AccountErrorCode.NO_ROLE_PROFILE: "No user details found!",
    AccountErrorCode.GOOGLE_NOT_AUTHENTICATED: "User not authenticated",
    AccountErrorCode.GOOGLE_ACCOUNT_NOT_FOUND: "Social account not found",
    AccountErrorCode.GOOGLE_EMAIL_NOT_FOUND: "Email not found in social account",
    AccountErrorCode.ONE_TIME_LOGIN_INVALID: "Invalid or already used login link.",
    AccountErrorCode.ONE_TIME_LOGIN_EXPIRED: "This login link has expired.",
    AccountErrorCode.STAFF_SELF_DELETE: (
        "Staff accounts cannot delete themselves; another administrator removes them in the "
        "backoffice."
    ),
    AccountErrorCode.ACCOUNT_DELETE_BLOCKED: (
        "This account still owns records that must be kept; contact support to close it."
    ),
    AccountErrorCode.ONBOARDING_STAFF_ONLY: "Only staff decide on manufacturer accounts.",
    AccountErrorCode.ONBOARDING_REASON_REQUIRED: "Give a reason: the manufacturer is told.",
    AccountErrorCode.ONBOARDING_NOT_ALLOWED: "This decision does not fit the account's status.",
    AccountErrorCode.CROSS_SITE_REFUSED: (
        "This request comes from a site that may not use the sign-in cookie."
    ),
    AccountErrorCode.MFA_REQUIRED: (
        "Password accepted. Enter the code from your authenticator app (or a recovery code) "
        "to finish signing in."
    ),
    AccountErrorCode.MFA_SETUP_REQUIRED: (
        "Staff accounts must use two-factor sign-in: sign in to the backoffice admin and turn "
        "it on (Two-factor sign-in) before signing in here."
    ),
    AccountErrorCode.MFA_TOKEN_INVALID: "Invalid or already used sign-in step. Log in again.",
    AccountErrorCode.MFA_TOKEN_EXPIRED: "This sign-in step has expired. Log in again.",
    AccountErrorCode.MFA_CODE_INVALID: (
        "That code is not right. Enter the current code from your app, or a recovery code."
    ),
}


# The seed's Google hand-off answers {"error": ...}; those bodies carry both keys.
ERROR_KEY_CODES = {
    AccountErrorCode.GOOGLE_NOT_AUTHENTICATED,
    AccountErrorCode.GOOGLE_ACCOUNT_NOT_FOUND,
    AccountErrorCode.GOOGLE_EMAIL_NOT_FOUND,
}


class AccountError(AppError):
    """A refused accounts operation. ``code`` says which; ``message`` is for the user."""

    status_of_code = {
        AccountErrorCode.INVALID_CREDENTIALS: 401,
        AccountErrorCode.REFRESH_TOKEN_MISSING: 400,
        AccountErrorCode.REFRESH_TOKEN_INVALID: 401,
        AccountErrorCode.REFRESH_TOKEN_REUSED: 401,
        AccountErrorCode.RESET_EMAIL_UNKNOWN: 401,
        AccountErrorCode.RESET_TOKEN_INVALID: 400,
        AccountErrorCode.RESET_TOKEN_EXPIRED: 400,
        AccountErrorCode.PHONE_UNKNOWN: 404,
        AccountErrorCode.SMS_NOT_CONFIGURED: 500,
        AccountErrorCode.NO_ROLE_PROFILE: 400,
        AccountErrorCode.GOOGLE_NOT_AUTHENTICATED: 401,
        AccountErrorCode.GOOGLE_ACCOUNT_NOT_FOUND: 404,
        AccountErrorCode.GOOGLE_EMAIL_NOT_FOUND: 400,
        AccountErrorCode.ONE_TIME_LOGIN_INVALID: 400,
        AccountErrorCode.ONE_TIME_LOGIN_EXPIRED: 400,
        AccountErrorCode.STAFF_SELF_DELETE: 403,
        AccountErrorCode.ACCOUNT_DELETE_BLOCKED: 409,
        AccountErrorCode.ONBOARDING_STAFF_ONLY: 403,
        AccountErrorCode.ONBOARDING_REASON_REQUIRED: 400,
        AccountErrorCode.ONBOARDING_NOT_ALLOWED: 409,
        AccountErrorCode.CROSS_SITE_REFUSED: 403,
        AccountErrorCode.MFA_REQUIRED: 401,
        AccountErrorCode.MFA_SETUP_REQUIRED: 403,
        AccountErrorCode.MFA_TOKEN_INVALID: 401,
        AccountErrorCode.MFA_TOKEN_EXPIRED: 401,
        AccountErrorCode.MFA_CODE_INVALID: 401,
    }

    def __init__(
        self, code: AccountErrorCode, message: str | None = None, *, extra: dict | None = None
    ) -> None:
        message = message or MESSAGES[code]
        extra = {**({"error": message} if code in ERROR_KEY_CODES else {}), **(extra or {})}
        super().__init__(message, code=code, extra=extra)
