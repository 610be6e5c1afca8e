import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from core.permissions import MANUFACTURERS_GROUP_NAME
from users.models import CustomerProfile, ManufacturerProfile, User
from users.services import user_create, user_sync_roles

pytestmark = pytest.mark.django_db


def test_customer_gets_a_customer_profile_only():
    user = user_create(email="Ama@Example.COM", password="pw-123456789", is_customer=True)

    assert user.email == "ama@example.com"
    assert user.check_password("pw-123456789")
    assert CustomerProfile.objects.get(user=user).loyalty_points == 0
    assert not ManufacturerProfile.objects.filter(user=user).exists()
    assert list(user.groups.values_list("name", flat=True)) == []


def test_manufacturer_gets_profile_with_company_and_the_group():
    user = user_create(
        email="maker@example.com", is_manufacturer=True, company_name="Kente Crafts"
    )

    assert user.manufacturer_profile.display_name == "Kente Crafts"
    assert list(user.groups.values_list("name", flat=True)) == [MANUFACTURERS_GROUP_NAME]
    assert not user.has_usable_password()
    assert user.is_staff is False


def test_customer_and_manufacturer_at_once_gets_both_profiles():
    user = user_create(email="both@example.com", is_customer=True, is_manufacturer=True)

    assert CustomerProfile.objects.filter(user=user).count() == 1
    assert ManufacturerProfile.objects.get(user=user).display_name == "both@example.com"
    assert user.roles == ["manufacturer", "customer"]


def test_the_manufacturers_group_exists_after_migrations():
    assert Group.objects.filter(name=MANUFACTURERS_GROUP_NAME).count() == 1


def test_duplicate_email_in_another_case_is_refused_and_nothing_is_written():
    user_create(email="dup@example.com", is_customer=True)

    with pytest.raises(ValidationError) as excinfo:
        user_create(email="DUP@example.com", is_customer=True)

    assert excinfo.value.message_dict == {
        "email": ["A user with this email address already exists."]
    }
    assert User.objects.count() == 1


def test_database_refuses_a_case_variant_written_past_the_service():
    user_create(email="raw@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="RAW@example.com", password="!")])
    assert User.objects.filter(email__lower="raw@example.com").count() == 1


def test_phone_is_stored_in_e164_and_unique():
    user = user_create(email="p1@example.com", phone="+233 20 100 0009")
    assert str(User.objects.get(pk=user.pk).phone) == "+233201000009"

    with pytest.raises(ValidationError) as excinfo:
        user_create(email="p2@example.com", phone="+233201000009")
    assert "phone" in excinfo.value.message_dict
    assert User.objects.filter(email="p2@example.com").exists() is False


def test_invalid_phone_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        user_create(email="p3@example.com", phone="12")
    assert "phone" in excinfo.value.message_dict
    assert User.objects.count() == 0


def test_taking_the_manufacturer_role_away_leaves_the_group_but_keeps_the_profile():
    user = user_create(email="ex@example.com", is_manufacturer=True, company_name="Old Co")
    user.is_manufacturer = False
    user.save(update_fields=["is_manufacturer"])

    user_sync_roles(user=user)

    assert user.groups.count() == 0
    assert ManufacturerProfile.objects.get(user=user).display_name == "Old Co"


def test_createsuperuser_path_goes_through_the_service():
    user = User.objects.create_superuser(email="Root@Example.com", password="pw-123456789")

    assert (user.email, user.is_staff, user.is_superuser) == ("root@example.com", True, True)
    assert user.check_password("pw-123456789")


def test_createsuperuser_command_makes_an_admin_without_role_profiles(monkeypatch):
    # The manager writes the row alone (it imports no service); an admin holds no role.
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "pw-123456789")
    call_command("createsuperuser", "--noinput", email="Boss@Example.com", verbosity=0)

    user = User.objects.get(email="boss@example.com")
    assert (user.is_staff, user.is_superuser, user.check_password("pw-123456789")) == (
        True,
        True,
        True,
    )
    assert not CustomerProfile.objects.filter(user=user).exists()
    assert not ManufacturerProfile.objects.filter(user=user).exists()


def test_the_manager_refuses_an_invalid_row():
    with pytest.raises(ValidationError):
        User.objects.create_user(email="not-an-email", password="pw-123456789")
