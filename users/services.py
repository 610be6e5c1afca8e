"""Writes about users: creation with role profiles, keeping roles and groups in step,
registration, profile edits and account deletion."""

from typing import Any, TypedDict, Unpack

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.fields.files import FieldFile

from users.errors import AccountError, AccountErrorCode
from users.jwt_sessions import sessions_revoke_all
from users.models import CustomerProfile, ManufacturerProfile, User, UserManager
from users.onboarding import manufacturer_application_notify_staff, manufacturer_status_for_new
from users.selectors import (
    manufacturers_group,
    user_customer_profile,
    user_get_by_email,
    user_role_profile,
)


class NewUserFields(TypedDict, total=False):
    """What ``user_create`` writes on the user row besides email and password."""

    first_name: str
    last_name: str
    is_customer: bool
    is_manufacturer: bool
    is_staff: bool
    is_superuser: bool
    is_google_user: bool
    phone: str | None


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None = None,
    company_name: str = "",
    self_service: bool = False,
    **fields: Unpack[NewUserFields],
) -> User:
    """Create a user with the profiles of its roles. Raises ValidationError on bad input.

    ``self_service``: the person signed themselves up (a new manufacturer then waits for
    review, ``users.onboarding``); otherwise staff or the system made the account.
    """
    email = UserManager.normalize_email(email)
    if user_get_by_email(email=email) is not None:
        raise ValidationError(
            {"email": ["A user with this email address already exists."]}, code="duplicate_email"
        )
    fields["phone"] = fields.get("phone") or None
    status = manufacturer_status_for_new(
        is_manufacturer=bool(fields.get("is_manufacturer")), self_service=self_service
    )
    user = User.objects.create_user(
        email=email, password=password, manufacturer_status=status, **fields
    )
    user_sync_roles(user=user, company_name=company_name)
    # A manufacturer who waits for review: staff hear of the application (users.onboarding).
    manufacturer_application_notify_staff(user=user)
    return user


@transaction.atomic
def user_sync_roles(*, user: User, company_name: str = "") -> None:
    """Give the user the profile of each role it has and the Manufacturers group iff it is one.

    A role that is taken away keeps its profile: nothing a user entered is lost.
    """
    if user.is_customer:
        CustomerProfile.objects.get_or_create(user=user)
    if user.is_manufacturer:
        ManufacturerProfile.objects.get_or_create(
            user=user,
            defaults={"display_name": company_name or user.get_full_name() or user.email},
        )
    group = manufacturers_group()
    if user.is_manufacturer:
        user.groups.add(group)
    else:
        user.groups.remove(group)


def password_check(*, password: str, user: User) -> None:
    """Django's password validators, as a field error on ``password``."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}, code="weak_password") from exc


def user_register(
    *,
    email: str,
    password: str,
    is_customer: bool = False,
    is_manufacturer: bool = False,
    first_name: str = "",
    last_name: str = "",
    phone: str | None = None,
) -> User:
    """Self-service sign-up. Without a role the account is a customer's (the storefront's
    buyers); staff rights are never granted here."""
    if not is_customer and not is_manufacturer:
        is_customer = True
    candidate = User(
        email=UserManager.normalize_email(email), first_name=first_name, last_name=last_name
    )
    password_check(password=password, user=candidate)
    return user_create(
        email=email,
        password=password,
        self_service=True,
        first_name=first_name,
        last_name=last_name,
        is_customer=is_customer,
        is_manufacturer=is_manufacturer,
        phone=phone,
    )


class UserDetailsChanges(TypedDict, total=False):
    email: str
    current_password: str  # required to change the email
    first_name: str
    last_name: str
    phone: Any  # PhoneNumber, str or None (None clears it)
    phone2: Any
    profile_picture: UploadedFile | None  # None removes the picture
    contact_details: dict


def _picture_replace(*, field: FieldFile, picture: UploadedFile | None) -> None:
    """Put ``picture`` in ``field`` (None empties it); the old file goes after commit."""
    old_name, storage = field.name, field.storage
    if picture is None:
        field.name = ""
    else:
        field.save(picture.name, picture, save=False)
    if old_name and old_name != field.name:
        transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic
def user_details_update(*, user: User, changes: UserDetailsChanges) -> User:
    """Edit the user's own details and the picture of the profile that speaks for them."""
    # Refuse before anything is written (a stored picture would outlive a rollback).
    profile = user_role_profile(user=user)
    if "profile_picture" in changes and profile is None:
        raise ValidationError(
            {"profile_picture": ["This account has no customer or manufacturer profile."]},
            code="no_profile",
        )
    customer = user_customer_profile(user=user)
    if "contact_details" in changes and customer is None:
        raise ValidationError(
            {"contact_details": ["Only customer accounts have contact details."]},
            code="no_customer_profile",
        )

    fields = [name for name in ("first_name", "last_name", "phone", "phone2") if name in changes]
    for name in fields:
        value = changes[name]
        if name in ("phone", "phone2"):
            value = value or None  # "" clears the number
        setattr(user, name, value)
    if "email" in changes:
        email = UserManager.normalize_email(changes["email"])
        if email != user.email:
            email_change_check_password(user=user, password=changes.get("current_password"))
            if User.objects.filter(email__lower=email).exclude(pk=user.pk).exists():
                raise ValidationError(
                    {"email": ["A user with this email address already exists."]},
                    code="duplicate_email",
                )
            user.email = email
            fields.append("email")
    if fields:
        user.full_clean(exclude=["password"])
        user.save(update_fields=fields)

    if "profile_picture" in changes:
        _picture_replace(field=profile.profile_picture, picture=changes["profile_picture"])
        profile.save(update_fields=["profile_picture"])
    if "contact_details" in changes:
        customer.contact_details = changes["contact_details"]
        customer.save(update_fields=["contact_details"])
    return user


def email_change_check_password(*, user: User, password: str | None) -> None:
    """The email is the login and where password resets go: whoever changes it must know the
    password (a stolen access token alone must not be enough to take the account over)."""
    if not password:
        raise ValidationError(
            {"current_password": ["Enter your current password to change your email address."]},
            code="current_password_required",
        )
    if not user.check_password(password):
        raise ValidationError(
            {"current_password": ["Your current password is incorrect."]},
            code="current_password_wrong",
        )


ROLE_PROFILE_FIELDS = {
    CustomerProfile: ("profile_picture", "contact_details"),
    ManufacturerProfile: ("profile_picture", "bank_details", "display_name"),
}


@transaction.atomic
def role_profile_update(
    *, profile: CustomerProfile | ManufacturerProfile, changes: dict[str, Any]
) -> CustomerProfile | ManufacturerProfile:
    """Edit the writable fields of a customer or manufacturer profile (loyalty points and
    creation time are not among them)."""
    fields = [name for name in ROLE_PROFILE_FIELDS[type(profile)] if name in changes]
    for name in fields:
        if name == "profile_picture":
            _picture_replace(field=profile.profile_picture, picture=changes[name])
        else:
            setattr(profile, name, changes[name])
    if fields:
        profile.full_clean(exclude=["user"])
        profile.save(update_fields=fields)
    return profile


def user_delete(*, user: User) -> None:
    """Delete the account and everything only it owns; rows that must outlive it (orders,
    reviews) keep their data with the user set to NULL. Staff are removed by another admin."""
    if user.is_staff:
        raise AccountError(AccountErrorCode.STAFF_SELF_DELETE)
    pictures = [
        (profile.profile_picture.storage, profile.profile_picture.name)
        for profile in (
            CustomerProfile.objects.filter(user=user).first(),
            ManufacturerProfile.objects.filter(user=user).first(),
        )
        if profile is not None and profile.profile_picture
    ]
    try:
        with transaction.atomic():
            sessions_revoke_all(user=user)
            user.delete()
            for storage, name in pictures:
                transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    except (ProtectedError, RestrictedError) as exc:
        raise AccountError(AccountErrorCode.ACCOUNT_DELETE_BLOCKED) from exc
