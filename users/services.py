"""Writes about users: creation with role profiles, keeping roles and groups in step."""

from django.core.exceptions import ValidationError
from django.db import transaction

from users.models import CustomerProfile, ManufacturerProfile, User, UserManager
from users.selectors import manufacturers_group, user_get_by_email


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    is_customer: bool = False,
    is_manufacturer: bool = False,
    is_staff: bool = False,
    is_superuser: bool = False,
    is_google_user: bool = False,
    phone: str | None = None,
    company_name: str = "",
) -> User:
    """Create a user with the profiles of its roles. Raises ValidationError on bad input."""
    email = UserManager.normalize_email(email)
    if user_get_by_email(email=email) is not None:
        raise ValidationError(
            {"email": ["A user with this email address already exists."]}, code="duplicate_email"
        )
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_customer=is_customer,
        is_manufacturer=is_manufacturer,
        is_staff=is_staff,
        is_superuser=is_superuser,
        is_google_user=is_google_user,
        phone=phone or None,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user_sync_roles(user=user, company_name=company_name)
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
