"""Serializers of the accounts API: they parse and render; the rules live in the services."""

from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.fields import empty

from core.roles import ManufacturerStatus
from users.models import CustomerProfile, ManufacturerProfile, User
from users.selectors import user_customer_profile, user_role_profile

PROFILE_PICTURE_MAX_BYTES = 5 * 1024 * 1024
TRUE_STRINGS = {"true", "on", "1", "yes"}


# --- Fields -------------------------------------------------------------------------------------


class LenientBooleanField(serializers.BooleanField):
    """The seed's ``remember_me``: true, "true", "on" or "1" mean yes; anything else means no."""

    default_empty_html = empty  # absent from a form means absent, not False

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        return str(data).strip().lower() in TRUE_STRINGS


class ProfilePictureField(serializers.ImageField):
    """An uploaded image; ``""`` or null removes the current picture. Renders an absolute URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "" or data is None:
            return (True, None)
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        picture = super().to_internal_value(data)
        if picture.size > PROFILE_PICTURE_MAX_BYTES:
            raise serializers.ValidationError(
                f"The picture is larger than {PROFILE_PICTURE_MAX_BYTES // (1024 * 1024)} MB."
            )
        return picture


class JSONObjectField(serializers.JSONField):
    """A JSON object; multipart and form requests send it as a JSON string."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            raise serializers.ValidationError("Expected a JSON object.")
        return value


def _phone_field() -> PhoneNumberField:
    return PhoneNumberField(required=False, allow_blank=True, allow_null=True)


# --- Generic bodies -----------------------------------------------------------------------------


class AccessTokenSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="JWT access token; the refresh token is a cookie.")


class AccountMessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class AccountErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class GoogleHandoffErrorSerializer(AccountErrorSerializer):
    error = serializers.CharField(help_text="The seed's key; same text as detail.")


# --- Users and profiles -------------------------------------------------------------------------


class UserProfileSerializer(serializers.Serializer):
    """The storefront's ``profile``: always an object, also for users without a role profile."""

    id = serializers.IntegerField(allow_null=True, help_text="The role profile's id, if any.")
    user = serializers.IntegerField()
    role = serializers.CharField(
        allow_null=True, help_text='"customer", "manufacturer", or null without a role profile.'
    )
    profile_picture = serializers.ImageField(allow_null=True, help_text="Absolute URL or null.")
    phone = serializers.CharField(allow_null=True)
    phone2 = serializers.CharField(allow_null=True)
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    contact_details = serializers.JSONField(allow_null=True)
    loyalty_points = serializers.IntegerField(allow_null=True)

    def to_representation(self, user: User):
        profile = user_role_profile(user=user)
        customer = user_customer_profile(user=user)
        picture = profile.profile_picture if profile is not None else None
        return {
            "id": profile.pk if profile is not None else None,
            "user": user.pk,
            "role": (
                None
                if profile is None
                else "manufacturer" if isinstance(profile, ManufacturerProfile) else "customer"
            ),
            "profile_picture": self.fields["profile_picture"].to_representation(picture)
            if picture
            else None,
            "phone": str(user.phone) if user.phone else None,
            "phone2": str(user.phone2) if user.phone2 else None,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "contact_details": customer.contact_details if customer is not None else None,
            "loyalty_points": customer.loyalty_points if customer is not None else None,
        }


class UserDetailsSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(allow_null=True, read_only=True)
    phone2 = serializers.CharField(allow_null=True, read_only=True)
    profile = UserProfileSerializer(source="*", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "is_customer",
            "is_manufacturer",
            "is_google_user",
            "phone",
            "phone2",
            "profile",
        ]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    confirm_password = serializers.CharField(
        max_length=128,
        write_only=True,
        required=False,
        trim_whitespace=False,
        help_text="Optional; checked against password when sent.",
    )
    is_customer = serializers.BooleanField(required=False, default=False)
    is_manufacturer = serializers.BooleanField(required=False, default=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    phone = _phone_field()

    def validate(self, attrs):
        confirm = attrs.pop("confirm_password", None)
        if confirm is not None and confirm != attrs["password"]:
            raise serializers.ValidationError({"confirm_password": ["Passwords do not match."]})
        return attrs


class RegisteredUserSerializer(UserDetailsSerializer):
    message = serializers.SerializerMethodField()

    class Meta(UserDetailsSerializer.Meta):
        fields = ["message", *UserDetailsSerializer.Meta.fields]
        read_only_fields = fields

    def get_message(self, user: User) -> str:
        if user.is_manufacturer and user.manufacturer_status == ManufacturerStatus.PENDING:
            return (
                "User registered successfully. Your manufacturer account is awaiting approval: "
                "you can sign in to the backoffice to complete your profile meanwhile."
            )
        return "User registered successfully."


class UserDetailsUpdateSerializer(serializers.Serializer):
    """Flat multipart fields (the storefront) or JSON; every field optional."""

    email = serializers.EmailField(max_length=254, required=False)
    current_password = serializers.CharField(
        max_length=128,
        write_only=True,
        required=False,
        trim_whitespace=False,
        style={"input_type": "password"},
        allow_blank=True,
        help_text="Required when email changes to another address.",
    )
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    phone = _phone_field()
    phone2 = _phone_field()
    profile_picture = ProfilePictureField(help_text='An image file; "" removes the picture.')
    contact_details = JSONObjectField(required=False, help_text="Customers only.")


class CustomerProfileSerializer(serializers.ModelSerializer):
    profile_picture = ProfilePictureField(help_text='An image file; "" removes the picture.')
    contact_details = JSONObjectField(required=False)

    class Meta:
        model = CustomerProfile
        fields = ["user", "profile_picture", "contact_details", "loyalty_points", "created_at"]
        read_only_fields = ["user", "loyalty_points", "created_at"]


class ManufacturerProfileSerializer(serializers.ModelSerializer):
    profile_picture = ProfilePictureField(help_text='An image file; "" removes the picture.')
    bank_details = JSONObjectField(required=False)

    class Meta:
        model = ManufacturerProfile
        fields = ["user", "display_name", "profile_picture", "bank_details", "created_at"]
        read_only_fields = ["user", "created_at"]


# --- Sessions -----------------------------------------------------------------------------------


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    remember_me = LenientBooleanField(
        required=False,
        default=False,
        help_text='true / "true" / "on" / "1": a long-lived refresh cookie; else a session.',
    )


class LoginSecondFactorSerializer(serializers.Serializer):
    mfa_token = serializers.CharField(
        max_length=500, help_text="The login's mfa_token (lives 5 minutes, works once)."
    )
    # Not "code": that key is the error shape's (a field error under it would replace it).
    otp = serializers.CharField(
        max_length=64, help_text="The authenticator app's current 6-digit code, or a recovery code."
    )


class SecondFactorDueSerializer(AccountErrorSerializer):
    """The login's 401: wrong credentials (``detail``, ``code``), or the password is right and
    a second factor is owed (``code`` "mfa_required" and the three keys below)."""

    mfa_required = serializers.BooleanField(required=False, help_text="True when present.")
    mfa_token = serializers.CharField(
        required=False, help_text="Send it with the code (otp) to the login's mfa route."
    )
    expires_in = serializers.IntegerField(
        required=False, help_text="Seconds the mfa_token stays valid."
    )


class RefreshSerializer(serializers.Serializer):
    remember_me = LenientBooleanField(
        required=False, help_text="Optional; overrides the choice made at login."
    )


class OneTimeLoginSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=200)
    remember_me = LenientBooleanField(required=False, default=False)


# --- Recovery -----------------------------------------------------------------------------------


class PasswordResetRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class PasswordResetConfirmWithTokenSerializer(PasswordResetConfirmSerializer):
    """``/api/auth/password/reset/confirm/`` carries the token in the body."""

    token = serializers.CharField(max_length=200)


class ForgotEmailSerializer(serializers.Serializer):
    phone_number = serializers.RegexField(
        r"^\+[1-9]\d{6,14}$",
        max_length=16,
        error_messages={"invalid": "Enter the phone number in E.164 format, e.g. +2348012345678."},
    )
