"""Base views of the accounts API: public vs signed-in, and errors turned into JSON.

- ``PublicAPIView`` authenticates nobody, so a stale ``Authorization: Bearer`` header the
  storefront still sends is ignored instead of answered with 401; it never checks CSRF either.
- ``SignedInAPIView`` is JWT only (the project default): no session, hence no CSRF failures.
- ``AccountError`` from a service becomes ``{"detail", "code"}`` with the status of its code;
  Django's ``ValidationError`` becomes DRF's field lists (``detail`` is added by
  ``backoffice.api.json_exception_handler``).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.serializers import ValidationError, as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from users.errors import AccountError, AccountErrorCode

ERROR_STATUS: dict[AccountErrorCode, int] = {
    AccountErrorCode.INVALID_CREDENTIALS: status.HTTP_401_UNAUTHORIZED,
    AccountErrorCode.REFRESH_TOKEN_MISSING: status.HTTP_400_BAD_REQUEST,
    AccountErrorCode.REFRESH_TOKEN_INVALID: status.HTTP_401_UNAUTHORIZED,
    AccountErrorCode.LOGOUT_TOKEN_MISSING: status.HTTP_401_UNAUTHORIZED,
    AccountErrorCode.LOGOUT_TOKEN_INVALID: status.HTTP_401_UNAUTHORIZED,
    AccountErrorCode.RESET_EMAIL_UNKNOWN: status.HTTP_401_UNAUTHORIZED,
    AccountErrorCode.RESET_TOKEN_INVALID: status.HTTP_400_BAD_REQUEST,
    AccountErrorCode.RESET_TOKEN_EXPIRED: status.HTTP_400_BAD_REQUEST,
    AccountErrorCode.PHONE_UNKNOWN: status.HTTP_404_NOT_FOUND,
    AccountErrorCode.SMS_NOT_CONFIGURED: status.HTTP_500_INTERNAL_SERVER_ERROR,
    AccountErrorCode.NO_ROLE_PROFILE: status.HTTP_400_BAD_REQUEST,
    AccountErrorCode.GOOGLE_NOT_AUTHENTICATED: status.HTTP_401_UNAUTHORIZED,
    AccountErrorCode.GOOGLE_ACCOUNT_NOT_FOUND: status.HTTP_404_NOT_FOUND,
    AccountErrorCode.GOOGLE_EMAIL_NOT_FOUND: status.HTTP_400_BAD_REQUEST,
    AccountErrorCode.ONE_TIME_LOGIN_INVALID: status.HTTP_400_BAD_REQUEST,
    AccountErrorCode.ONE_TIME_LOGIN_EXPIRED: status.HTTP_400_BAD_REQUEST,
    AccountErrorCode.STAFF_SELF_DELETE: status.HTTP_403_FORBIDDEN,
    AccountErrorCode.ACCOUNT_DELETE_BLOCKED: status.HTTP_409_CONFLICT,
}

# The seed's Google hand-off answers {"error": ...}; those bodies carry both keys.
ERROR_KEY_CODES = {
    AccountErrorCode.GOOGLE_NOT_AUTHENTICATED,
    AccountErrorCode.GOOGLE_ACCOUNT_NOT_FOUND,
    AccountErrorCode.GOOGLE_EMAIL_NOT_FOUND,
}

WWW_AUTHENTICATE = 'Bearer realm="api"'


def account_error_response(error: AccountError) -> Response:
    body = {"detail": error.message, "code": error.code.value}
    if error.code in ERROR_KEY_CODES:
        body["error"] = error.message
    response = Response(body, status=ERROR_STATUS[error.code])
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


def drf_validation_error(exc: DjangoValidationError) -> ValidationError:
    detail = as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return ValidationError(detail=detail)


class AccountAPIView(APIView):
    def handle_exception(self, exc):
        if isinstance(exc, AccountError):
            return account_error_response(exc)
        if isinstance(exc, DjangoValidationError):
            exc = drf_validation_error(exc)
        return super().handle_exception(exc)


class InputSerializerMixin:
    """Declares the view's input serializer, so OPTIONS lists its fields (DRF metadata)."""

    serializer_class: type

    def get_serializer(self, *args, **kwargs):
        return self.serializer_class(*args, **kwargs)


class PublicAPIView(AccountAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        # Keeps DRF's 401s as 401 (without an authenticator it would turn them into 403).
        return WWW_AUTHENTICATE


class SignedInAPIView(AccountAPIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]
