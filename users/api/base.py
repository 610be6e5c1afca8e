"""Base views of the accounts API: public vs signed-in.

- ``PublicAPIView`` authenticates nobody, so a stale ``Authorization: Bearer`` header the
  storefront still sends is ignored instead of answered with 401; it never checks CSRF either.
- ``PublicInputAPIView`` adds one input serializer (``validated(request)``) and the scoped
  rate limit of its ``throttle_scope``.
- ``SignedInAPIView`` is JWT only (the project default): no session, hence no CSRF failures.
- ``AccountError`` from a service becomes ``{"detail", "code"}`` with the status of its code,
  Django's ``ValidationError`` DRF's field lists with ``detail`` (``core.api.exception_handler``).
"""

from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from core.api import WWW_AUTHENTICATE
from core.client_ip import client_ip


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
