"""Account recovery: a password reset link by email, the new password, the email address
texted to the account's phone. With ``API_PREVENT_ACCOUNT_ENUMERATION`` the answer is the same
whether or not the account exists."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from users.api.base import PublicInputAPIView
from users.api.docs import account_schema
from users.api.serializers import (
    AccountMessageSerializer,
    ForgotEmailSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetConfirmWithTokenSerializer,
    PasswordResetRequestSerializer,
)
from users.recovery import email_reminder_send, password_reset_confirm, password_reset_request

RESET_SENT = "Password reset email sent"
RESET_SENT_IF_KNOWN = "If an active account uses this email address, a reset link has been sent."
RESET_DONE = "Password reset successful"
EMAIL_TEXTED = "Email address (masked) sent to phone number"
EMAIL_TEXTED_IF_KNOWN = (
    "If an active account uses this phone number, its email address (masked) has been sent to it."
)


def _reset_confirm_schema(summary: str, request):
    return account_schema(
        summary,
        request=request,
        responses={
            200: AccountMessageSerializer,
            400: "Missing or weak password, invalid, used or expired token.",
        },
        throttled=True,
    )


def _message(*, known: str, if_known: str) -> Response:
    """The answer of a recovery request (see the module docstring on enumeration)."""
    return Response({"message": if_known if settings.API_PREVENT_ACCOUNT_ENUMERATION else known})


class PasswordResetRequestView(PublicInputAPIView):
    serializer_class = PasswordResetRequestSerializer
    throttle_scope = "password_reset"

    @account_schema(
        "Email a password reset link (valid 5 minutes)",
        request=PasswordResetRequestSerializer,
        responses={
            200: AccountMessageSerializer,
            400: "Invalid email address.",
            401: "No active account with this email (unless enumeration protection).",
        },
        throttled=True,
    )
    def post(self, request: Request) -> Response:
        password_reset_request(email=self.validated(request)["email"])
        return _message(known=RESET_SENT, if_known=RESET_SENT_IF_KNOWN)


class PasswordResetConfirmView(PublicInputAPIView):
    serializer_class = PasswordResetConfirmSerializer
    throttle_scope = "password_reset"

    @_reset_confirm_schema(
        "Set a new password with the emailed token", PasswordResetConfirmSerializer
    )
    def post(self, request: Request, token: str | None = None) -> Response:
        data = self.validated(request)
        password_reset_confirm(raw_token=token or data["token"], password=data["password"])
        return Response({"message": RESET_DONE})


# The REST route (``/api/auth/password/reset/confirm``): the token comes in the body.
@extend_schema_view(
    post=_reset_confirm_schema(
        "Set a new password with the emailed token (token in the body)",
        PasswordResetConfirmWithTokenSerializer,
    )
)
class PasswordResetConfirmWithTokenView(PasswordResetConfirmView):
    serializer_class = PasswordResetConfirmWithTokenSerializer


class ForgotEmailView(PublicInputAPIView):
    serializer_class = ForgotEmailSerializer
    throttle_scope = "password_reset"

    @account_schema(
        "Text the account's masked email address to its phone number",
        request=ForgotEmailSerializer,
        responses={
            200: AccountMessageSerializer,
            400: "Missing phone number or not in E.164 format.",
            404: "No active account with this phone (unless enumeration protection).",
            500: "SMS is not configured on this server.",
        },
        throttled=True,
    )
    def post(self, request: Request) -> Response:
        email_reminder_send(phone=self.validated(request)["phone_number"])
        return _message(known=EMAIL_TEXTED, if_known=EMAIL_TEXTED_IF_KNOWN)
