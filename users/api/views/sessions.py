"""Sign-up and sessions: register, log in (password, one-time link, Google hand-off), refresh,
log out. A session answers with the access token in the body and the refresh token in an
HttpOnly cookie (``users.api.cookies``)."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import logout as django_logout
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response

from users.api.base import CookieSessionAPIView, PublicAPIView, PublicInputAPIView
from users.api.cookies import (
    auth_cookies_clear,
    csrf_header_add,
    refresh_cookie_read,
    refresh_cookie_set,
)
from users.api.docs import account_schema, error
from users.api.serializers import (
    AccessTokenSerializer,
    AccountMessageSerializer,
    GoogleHandoffErrorSerializer,
    LenientBooleanField,
    LoginSecondFactorSerializer,
    LoginSerializer,
    OneTimeLoginSerializer,
    RefreshSerializer,
    RegisteredUserSerializer,
    RegisterSerializer,
    SecondFactorDueSerializer,
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
from users.mfa_login import api_second_factor_due, mfa_challenge_issue, mfa_challenge_pass
from users.models import User
from users.services import user_register
from users.signin_policy import SignInRefused

LOGGED_OUT = "Successfully logged out."


def _session_response(request: Request, session: IssuedSession) -> Response:
    response = Response({"access": session.access})
    response["Cache-Control"] = "no-store"  # tokens must not sit in any cache
    refresh_cookie_set(response, session=session)
    csrf_header_add(request._request, response)
    return response


def _session_or_second_step(request: Request, *, user: User, remember: bool) -> Response:
    """The tokens, or, for a user who owes a second factor (``users.mfa_login``), the
    ``mfa_required`` answer with its ``mfa_token`` (or the refusal to staff without TOTP)."""
    due = api_second_factor_due(user)
    if due == "setup":
        raise AccountError(AccountErrorCode.MFA_SETUP_REQUIRED)
    if due == "verify":
        raise AccountError(
            AccountErrorCode.MFA_REQUIRED,
            extra={
                "mfa_required": True,
                "mfa_token": mfa_challenge_issue(user=user, remember=remember),
                "expires_in": settings.MFA_LOGIN_TOKEN_SECONDS,
            },
        )
    return _session_response(request, session_start(user=user, remember=remember))


SECOND_FACTOR_RESPONSES = {
    401: error(
        "mfa_required: the password is right and the account uses two-factor sign-in; send "
        "the mfa_token with a code to the login's mfa route (other 401s: wrong credentials).",
        SecondFactorDueSerializer,
    ),
    403: "mfa_setup_required: staff must turn on two-factor sign-in in the admin first.",
}


class RegisterView(PublicInputAPIView):
    serializer_class = RegisterSerializer
    throttle_scope = "register"

    @account_schema(
        "Register a customer or manufacturer account",
        description="Without a role the account is a customer's. Staff rights are never given.",
        request=RegisterSerializer,
        responses={
            201: RegisteredUserSerializer,
            400: "Invalid input: duplicate email, weak or mismatched password ...",
        },
        throttled=True,
    )
    def post(self, request: Request) -> Response:
        user = user_register(**self.validated(request))
        data = RegisteredUserSerializer(user, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class LoginView(PublicInputAPIView):
    serializer_class = LoginSerializer
    throttle_scope = "login"

    @account_schema(
        "Log in: access token in the body, refresh token in an HttpOnly cookie",
        request=LoginSerializer,
        responses={
            200: AccessTokenSerializer,
            400: "Missing email or password.",
            **SECOND_FACTOR_RESPONSES,
        },
        throttled=True,
    )
    def post(self, request: Request) -> Response:
        data = self.validated(request)
        try:
            user = user_authenticate(
                request=request._request, email=data["email"], password=data["password"]
            )
        except SignInRefused as refused:
            raise Throttled(wait=refused.retry_after, detail=refused.message) from None
        return _session_or_second_step(request, user=user, remember=data["remember_me"])


class LoginSecondFactorView(PublicInputAPIView):
    serializer_class = LoginSecondFactorSerializer
    throttle_scope = "login"

    @account_schema(
        "Log in, second step: the mfa_token and a code (otp) give the login's tokens",
        description="The access token in the body and the refresh cookie, exactly as the "
        "login; the mfa_token is then spent. A wrong code counts as a failed sign-in.",
        request=LoginSecondFactorSerializer,
        responses={
            200: AccessTokenSerializer,
            400: "Missing mfa_token or otp.",
            401: "mfa_code_invalid, mfa_token_invalid (unknown or used) or mfa_token_expired.",
        },
        throttled=True,
    )
    def post(self, request: Request) -> Response:
        data = self.validated(request)
        try:
            passed = mfa_challenge_pass(
                request=request._request, mfa_token=data["mfa_token"], code=data["otp"]
            )
        except SignInRefused as refused:
            raise Throttled(wait=refused.retry_after, detail=refused.message) from None
        session = session_start(user=passed.user, remember=passed.remember)
        return _session_response(request, session)


class RefreshView(CookieSessionAPIView, PublicInputAPIView):
    serializer_class = RefreshSerializer

    @account_schema(
        "New access token from the refresh cookie (the cookie is rotated)",
        description="The refresh token is read from the HttpOnly cookie only; it works once.",
        request=RefreshSerializer,
        responses={
            200: AccessTokenSerializer,
            400: "Refresh token missing",
            401: "Invalid refresh token (expired, tampered with, blacklisted or reused)",
        },
    )
    def post(self, request: Request) -> Response:
        data = self.validated(request)
        session = session_rotate(
            raw_refresh=refresh_cookie_read(request), remember=data.get("remember_me")
        )
        return _session_response(request, session)


class LogoutView(CookieSessionAPIView):
    @account_schema(
        "Log out: revoke the refresh cookie's session, clear the auth and CSRF cookies",
        description="Always 200: without a cookie, or with one that is invalid, expired or "
        "already revoked (e.g. by reuse detection), there is nothing left to revoke and the "
        "cookies are cleared all the same.",
        request=None,
        responses={200: AccountMessageSerializer},
    )
    def post(self, request: Request) -> Response:
        session_end(raw_refresh=refresh_cookie_read(request))
        if SESSION_KEY in request.session:  # a Google sign-in left a Django session: end it
            django_logout(request._request)
        else:
            request.session.pop("cart_id", None)
        response = Response({"message": LOGGED_OUT})
        auth_cookies_clear(response)
        return response


class OneTimeLoginView(PublicInputAPIView):
    serializer_class = OneTimeLoginSerializer
    throttle_scope = "login"

    @account_schema(
        "Exchange a one-time login link (uid + token) for a session",
        request=OneTimeLoginSerializer,
        responses={
            200: AccessTokenSerializer,
            400: "Invalid, used or expired link.",
            **SECOND_FACTOR_RESPONSES,
        },
        throttled=True,
    )
    def post(self, request: Request) -> Response:
        data = self.validated(request)
        user = one_time_login_redeem(uid=data["uid"], raw_token=data["token"])
        return _session_or_second_step(request, user=user, remember=data["remember_me"])


class GoogleLoginHandoffView(PublicAPIView):
    """allauth signed the browser in (Django session); hand the storefront its JWTs."""

    authentication_classes = [SessionAuthentication]  # GET only: no CSRF check involved

    @account_schema(
        "Google sign-in hand-off: the session's Google login becomes JWTs",
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
            400: error("Email not found in social account", GoogleHandoffErrorSerializer),
            401: error("User not authenticated", GoogleHandoffErrorSerializer),
            404: error("Social account not found", GoogleHandoffErrorSerializer),
        },
    )
    def get(self, request: Request) -> Response:
        user = google_handoff_user(user=request.user)
        remember = LenientBooleanField().to_internal_value(
            request.query_params.get("remember_me", "")
        )
        return _session_or_second_step(request, user=user, remember=remember)
