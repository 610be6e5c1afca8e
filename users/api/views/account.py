"""The signed-in user's own account: details, role profile, deletion (JWT only)."""

from collections.abc import Mapping

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework.request import Request
from rest_framework.response import Response

from core.parsers import FormParser, JSONParser, MultiPartParser
from users.api.base import ClientScopedRateThrottle, SignedInAPIView
from users.api.cookies import auth_cookies_clear
from users.api.docs import SIGNED_OUT, account_schema
from users.api.serializers import (
    AccountMessageSerializer,
    CustomerProfileSerializer,
    ManufacturerProfileSerializer,
    UserDetailsSerializer,
    UserDetailsUpdateSerializer,
)
from users.errors import AccountError, AccountErrorCode
from users.models import ManufacturerProfile
from users.selectors import user_role_profile
from users.services import role_profile_update, user_delete, user_details_update

DELETED = "User deleted successfully"


class UserDetailsView(SignedInAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    throttle_scope = "login"

    def get_throttles(self):
        # A PATCH that tries a password shares the login's rate limit: a stolen access token
        # must not be a way to guess the password.
        data = self.request.data if self.request.method == "PATCH" else None
        if isinstance(data, Mapping) and "current_password" in data:
            return [ClientScopedRateThrottle()]
        return []

    @account_schema(
        "The signed-in user with its profile",
        responses={200: UserDetailsSerializer, 401: SIGNED_OUT},
    )
    def get(self, request: Request) -> Response:
        return Response(UserDetailsSerializer(request.user, context={"request": request}).data)

    @account_schema(
        "Edit the signed-in user (flat multipart fields or JSON)",
        request=UserDetailsUpdateSerializer,
        description="Changing ``email`` to another address needs ``current_password``.",
        responses={
            200: UserDetailsSerializer,
            400: "Invalid input, or the current password missing or wrong for an email change.",
            401: SIGNED_OUT,
        },
        throttled=True,
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

    @account_schema(
        "The signed-in user's customer or manufacturer profile",
        responses={200: ROLE_PROFILE, 400: "No user details found!", 401: SIGNED_OUT},
    )
    def get(self, request: Request) -> Response:
        profile, serializer_class = self._profile(request)
        return Response(serializer_class(profile, context={"request": request}).data)

    @account_schema(
        "Edit the customer or manufacturer profile (loyalty points are read-only)",
        request=ROLE_PROFILE,
        responses={
            200: ROLE_PROFILE,
            400: "Invalid input, or No user details found!",
            401: SIGNED_OUT,
        },
    )
    def patch(self, request: Request) -> Response:
        profile, serializer_class = self._profile(request)
        serializer = serializer_class(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = role_profile_update(profile=profile, changes=serializer.validated_data)
        return Response(serializer_class(profile, context={"request": request}).data)


class DeleteAccountView(SignedInAPIView):
    @account_schema(
        "Delete the signed-in user's account",
        description="Orders and reviews stay, detached from the account.",
        request=None,
        responses={
            200: AccountMessageSerializer,
            401: SIGNED_OUT,
            403: "Staff accounts are removed by another administrator.",
            409: "The account still owns records that must be kept.",
        },
    )
    def delete(self, request: Request) -> Response:
        user_delete(user=request.user)
        response = Response({"message": DELETED})
        auth_cookies_clear(response)
        return response
