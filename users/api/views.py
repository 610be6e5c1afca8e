"""Views of the accounts API (MARTAF ``/accounts/...`` routes and the REST ``/api/auth/...`` ones).

Each view parses its input with a serializer, calls one service and renders the result. The
REST routes reuse these views (``users.api.auth_urls``); only the reset confirmation differs,
taking its token from the body instead of the path.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import logout as django_logout
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from core.api import app_error_response
from users.api.base import (
    InputSerializerMixin,
    PublicAPIView,
    SignedInAPIView,
)
from users.api.cookies import (
    auth_cookies_clear,
    csrf_header_add,
    refresh_cookie_read,
    refresh_cookie_set,
)
from users.api.serializers import (
    AccessTokenSerializer,
    AccountErrorSerializer,
    AccountMessageSerializer,
    CustomerProfileSerializer,
    ForgotEmailSerializer,
    GoogleHandoffErrorSerializer,
    LenientBooleanField,
    LoginSerializer,
    ManufacturerProfileSerializer,
    OneTimeLoginSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetConfirmWithTokenSerializer,
    PasswordResetRequestSerializer,
    RefreshSerializer,
    RegisteredUserSerializer,
    RegisterSerializer,
    UserDetailsSerializer,
    UserDetailsUpdateSerializer,
)
from users.errors import AccountError, AccountErrorCode
from users.google import google_handoff_user, one_time_login_redeem
from users.jwt_sessions import (
    IssuedSession,
    session_end,
    session_rotate,
    session_start,
    user_authenticate,
)
from users.models import ManufacturerProfile
from users.recovery import email_reminder_send, password_reset_confirm, password_reset_request
from users.selectors import user_role_profile
from users.services import role_profile_update, user_delete, user_details_update, user_register

TAGS = ["Accounts"]

RESET_SENT = "Password reset email sent"
RESET_SENT_IF_KNOWN = "If an active account uses this email address, a reset link has been sent."
RESET_DONE = "Password reset successful"
EMAIL_TEXTED = "Email address (masked) sent to phone number"
EMAIL_TEXTED_IF_KNOWN = (
    "If an active account uses this phone number, its email address (masked) has been sent to it."
)
LOGGED_OUT = "Successfully logged out."
DELETED = "User deleted successfully"


def _error(description: str, serializer=AccountErrorSerializer) -> OpenApiResponse:
    return OpenApiResponse(serializer, description=description)


THROTTLED = _error("Too many requests (rate limit); retry after the Retry-After seconds.")


def _session_response(request: Request, session: IssuedSession) -> Response:
    response = Response({"access": session.access})
    response["Cache-Control"] = "no-store"  # tokens must not sit in any cache
    refresh_cookie_set(response, session=session)
    csrf_header_add(request._request, response)
    return response


# --- Registration and sessions ------------------------------------------------------------------


class RegisterView(InputSerializerMixin, PublicAPIView):
    serializer_class = RegisterSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(
        tags=TAGS,
        summary="Register a customer or manufacturer account",
        description="Without a role the account is a customer's. Staff rights are never given.",
        request=RegisterSerializer,
        responses={
            201: RegisteredUserSerializer,
            400: _error("Invalid input: duplicate email, weak or mismatched password ..."),
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        data = RegisteredUserSerializer(user, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class LoginView(InputSerializerMixin, PublicAPIView):
    serializer_class = LoginSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        tags=TAGS,
        summary="Log in: access token in the body, refresh token in an HttpOnly cookie",
        request=LoginSerializer,
        responses={
            200: AccessTokenSerializer,
            400: _error("Missing email or password."),
            401: _error("Email or Password is incorrect"),
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_authenticate(
            request=request._request,
            email=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        session = session_start(user=user, remember=serializer.validated_data["remember_me"])
        return _session_response(request, session)


class RefreshView(InputSerializerMixin, PublicAPIView):
    serializer_class = RefreshSerializer

    @extend_schema(
        tags=TAGS,
        summary="New access token from the refresh cookie (the cookie is rotated)",
        description="The refresh token is read from the HttpOnly cookie only; it works once.",
        request=RefreshSerializer,
        responses={
            200: AccessTokenSerializer,
            400: _error("Refresh token missing"),
            401: _error("Invalid refresh token (expired, tampered with, blacklisted or reused)"),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_rotate(
            raw_refresh=refresh_cookie_read(request),
            remember=serializer.validated_data.get("remember_me"),
        )
        return _session_response(request, session)


class LogoutView(PublicAPIView):
    @extend_schema(
        tags=TAGS,
        summary="Log out: blacklist the refresh cookie, clear the auth and CSRF cookies",
        request=None,
        responses={
            200: AccountMessageSerializer,
            401: _error("No refresh token provided. / Invalid or expired token."),
        },
    )
    def post(self, request: Request) -> Response:
        try:
            session_end(raw_refresh=refresh_cookie_read(request))
        except AccountError as error:
            response = app_error_response(error)
            if error.code == AccountErrorCode.LOGOUT_TOKEN_INVALID:
                auth_cookies_clear(response)  # a dead cookie is of no use to anybody
            return response
        if SESSION_KEY in request.session:  # a Google sign-in left a Django session: end it
            django_logout(request._request)
        else:
            request.session.pop("cart_id", None)
        response = Response({"message": LOGGED_OUT})
        auth_cookies_clear(response)
        return response


class OneTimeLoginView(InputSerializerMixin, PublicAPIView):
    serializer_class = OneTimeLoginSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        tags=TAGS,
        summary="Exchange a one-time login link (uid + token) for a session",
        request=OneTimeLoginSerializer,
        responses={
            200: AccessTokenSerializer,
            400: _error("Invalid, used or expired link."),
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = one_time_login_redeem(
            uid=serializer.validated_data["uid"], raw_token=serializer.validated_data["token"]
        )
        session = session_start(user=user, remember=serializer.validated_data["remember_me"])
        return _session_response(request, session)


class GoogleLoginHandoffView(PublicAPIView):
    """allauth signed the browser in (Django session); hand the storefront its JWTs."""

    authentication_classes = [SessionAuthentication]  # GET only: no CSRF check involved

    @extend_schema(
        tags=TAGS,
        summary="Google sign-in hand-off: the session's Google login becomes JWTs",
        description=(
            "Call after the Google sign-in at /oauth/google/login/ (allauth) redirected the "
            "browser to GOOGLE_LOGIN_REDIRECT_URL, with the backoffice session cookie."
        ),
        parameters=[
            OpenApiParameter(
                "remember_me", OpenApiTypes.BOOL, description="A long-lived refresh cookie."
            )
        ],
        responses={
            200: AccessTokenSerializer,
            400: _error("Email not found in social account", GoogleHandoffErrorSerializer),
            401: _error("User not authenticated", GoogleHandoffErrorSerializer),
            404: _error("Social account not found", GoogleHandoffErrorSerializer),
        },
    )
    def get(self, request: Request) -> Response:
        user = google_handoff_user(user=request.user)
        remember = LenientBooleanField().to_internal_value(
            request.query_params.get("remember_me", "")
        )
        session = session_start(user=user, remember=remember)
        return _session_response(request, session)


# --- The signed-in user -------------------------------------------------------------------------


class UserDetailsView(SignedInAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="The signed-in user with its profile",
        responses={200: UserDetailsSerializer, 401: _error("Not signed in or token expired.")},
    )
    def get(self, request: Request) -> Response:
        return Response(UserDetailsSerializer(request.user, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        summary="Edit the signed-in user (flat multipart fields or JSON)",
        request=UserDetailsUpdateSerializer,
        responses={
            200: UserDetailsSerializer,
            400: _error("Invalid input."),
            401: _error("Not signed in or token expired."),
        },
    )
    def patch(self, request: Request) -> Response:
        serializer = UserDetailsUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = user_details_update(user=request.user, changes=serializer.validated_data)
        return Response(UserDetailsSerializer(user, context={"request": request}).data)


ROLE_PROFILE = PolymorphicProxySerializer(
    component_name="RoleProfile",
    serializers=[CustomerProfileSerializer, ManufacturerProfileSerializer],
    resource_type_field_name=None,
)


class RoleProfileView(SignedInAPIView):
    """The customer profile, or the manufacturer profile when the user is a manufacturer."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def _profile(self, request: Request):
        profile = user_role_profile(user=request.user)
        if profile is None:
            raise AccountError(AccountErrorCode.NO_ROLE_PROFILE)
        serializer_class = (
            ManufacturerProfileSerializer
            if isinstance(profile, ManufacturerProfile)
            else CustomerProfileSerializer
        )
        return profile, serializer_class

    @extend_schema(
        tags=TAGS,
        summary="The signed-in user's customer or manufacturer profile",
        responses={
            200: ROLE_PROFILE,
            400: _error("No user details found!"),
            401: _error("Not signed in or token expired."),
        },
    )
    def get(self, request: Request) -> Response:
        profile, serializer_class = self._profile(request)
        return Response(serializer_class(profile, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        summary="Edit the customer or manufacturer profile (loyalty points are read-only)",
        request=ROLE_PROFILE,
        responses={
            200: ROLE_PROFILE,
            400: _error("Invalid input, or No user details found!"),
            401: _error("Not signed in or token expired."),
        },
    )
    def patch(self, request: Request) -> Response:
        profile, serializer_class = self._profile(request)
        serializer = serializer_class(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = role_profile_update(profile=profile, changes=serializer.validated_data)
        return Response(serializer_class(profile, context={"request": request}).data)


class DeleteAccountView(SignedInAPIView):
    @extend_schema(
        tags=TAGS,
        summary="Delete the signed-in user's account",
        description="Orders and reviews stay, detached from the account.",
        request=None,
        responses={
            200: AccountMessageSerializer,
            401: _error("Not signed in or token expired."),
            403: _error("Staff accounts are removed by another administrator."),
            409: _error("The account still owns records that must be kept."),
        },
    )
    def delete(self, request: Request) -> Response:
        user_delete(user=request.user)
        response = Response({"message": DELETED})
        auth_cookies_clear(response)
        return response


# --- Recovery -----------------------------------------------------------------------------------


class PasswordResetRequestView(InputSerializerMixin, PublicAPIView):
    serializer_class = PasswordResetRequestSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(
        tags=TAGS,
        summary="Email a password reset link (valid 5 minutes)",
        request=PasswordResetRequestSerializer,
        responses={
            200: AccountMessageSerializer,
            400: _error("Invalid email address."),
            401: _error("No active account with this email (unless enumeration protection)."),
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        password_reset_request(email=serializer.validated_data["email"])
        if settings.API_PREVENT_ACCOUNT_ENUMERATION:
            return Response({"message": RESET_SENT_IF_KNOWN})
        return Response({"message": RESET_SENT})


class PasswordResetConfirmView(InputSerializerMixin, PublicAPIView):
    serializer_class = PasswordResetConfirmSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(
        tags=TAGS,
        summary="Set a new password with the emailed token",
        request=PasswordResetConfirmSerializer,
        responses={
            200: AccountMessageSerializer,
            400: _error("Missing or weak password, invalid, used or expired token."),
            429: THROTTLED,
        },
    )
    def post(self, request: Request, token: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        password_reset_confirm(raw_token=token, password=serializer.validated_data["password"])
        return Response({"message": RESET_DONE})


class PasswordResetConfirmWithTokenView(InputSerializerMixin, PublicAPIView):
    serializer_class = PasswordResetConfirmWithTokenSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(
        tags=TAGS,
        summary="Set a new password with the emailed token (token in the body)",
        request=PasswordResetConfirmWithTokenSerializer,
        responses={
            200: AccountMessageSerializer,
            400: _error("Missing or weak password, invalid, used or expired token."),
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        password_reset_confirm(
            raw_token=serializer.validated_data["token"],
            password=serializer.validated_data["password"],
        )
        return Response({"message": RESET_DONE})


class ForgotEmailView(InputSerializerMixin, PublicAPIView):
    serializer_class = ForgotEmailSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(
        tags=TAGS,
        summary="Text the account's masked email address to its phone number",
        request=ForgotEmailSerializer,
        responses={
            200: AccountMessageSerializer,
            400: _error("Missing phone number or not in E.164 format."),
            404: _error("No active account with this phone (unless enumeration protection)."),
            429: THROTTLED,
            500: _error("SMS is not configured on this server."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email_reminder_send(phone=serializer.validated_data["phone_number"])
        if settings.API_PREVENT_ACCOUNT_ENUMERATION:
            return Response({"message": EMAIL_TEXTED_IF_KNOWN})
        return Response({"message": EMAIL_TEXTED})
