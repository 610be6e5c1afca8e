"""Base views of the accounts API: public vs signed-in.

- ``PublicAPIView`` authenticates nobody, so a stale ``Authorization: Bearer`` header the
  storefront still sends is ignored instead of answered with 401; it never checks CSRF either.
- ``PublicInputAPIView`` adds one input serializer (``validated(request)``) and the scoped
  rate limit of its ``throttle_scope``.
- ``SignedInAPIView`` is JWT only (the project default): no session, hence no CSRF failures.
- ``AccountError`` from a service becomes ``{"detail", "code"}`` with the status of its code,
  Django's ``ValidationError`` DRF's field lists with ``detail`` (``core.api.exception_handler``).
"""

import re

from django.conf import settings
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from core.api import WWW_AUTHENTICATE
from core.client_ip import client_ip
from users.errors import AccountError, AccountErrorCode


class InputSerializerMixin:
    """Declares the view's input serializer, so OPTIONS lists its fields (DRF metadata)."""

    serializer_class: type

    def get_serializer(self, *args, **kwargs):
        return self.serializer_class(*args, **kwargs)

    def validated(self, request: Request) -> dict:
        """The request body through the input serializer (400 with field lists if invalid)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ClientScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped rate limit, keyed on ``core.client_ip`` (X-Forwarded-For is believed only
    from ``TRUSTED_PROXIES``, the same rule as the admin's lockout)."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class PublicAPIView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        # Keeps DRF's 401s as 401 (without an authenticator it would turn them into 403).
        return WWW_AUTHENTICATE


class PublicInputAPIView(InputSerializerMixin, PublicAPIView):
    # A public view reading one input serializer; its ``throttle_scope``, if any, limits it.
    # No docstring: drf-spectacular shows the first one up the MRO as the operation description.
    throttle_classes = [ClientScopedRateThrottle]  # without a throttle_scope it lets all through


class SignedInAPIView(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]


def origin_allowed(request) -> bool:
    """Whether the request's ``Origin`` (a browser sends it on every cross-site POST) is this
    site itself or a storefront of ``CORS_ALLOWED_ORIGINS`` (or its regexes). No ``Origin``
    at all (a same-site form of an older browser, a script) is let through."""
    origin = request.headers.get("Origin")
    if not origin:
        return True
    if getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False):
        return True
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    if origin in getattr(settings, "CORS_ALLOWED_ORIGINS", ()):
        return True
    return any(
        re.match(pattern, origin) for pattern in getattr(settings, "CORS_ALLOWED_ORIGIN_REGEXES", ())
    )


class CookieSessionAPIView(PublicAPIView):
    """A view that acts on the HttpOnly refresh cookie (refresh, log out). The storefront sends
    no CSRF token, so these answer only a request from this site or an allowed storefront
    origin: another site's page cannot refresh or end a buyer's session through their cookie
    (403 ``cross_site_refused``, nothing changes)."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not origin_allowed(request):
            raise AccountError(AccountErrorCode.CROSS_SITE_REFUSED)
