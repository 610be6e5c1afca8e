import pytest

from core.permissions import MANUFACTURERS_GROUP_NAME
from users.models import CustomerProfile, ManufacturerProfile, User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Kente-Weave-2024!"


@pytest.mark.parametrize("path", ["/accounts/register", "/accounts/register/"])
def test_register_a_customer_returns_201_with_the_user_and_no_password(api_client, path):
    response = api_client.post(
        path,
        {
            "email": "Ama@Example.com",
            "password": GOOD_PASSWORD,
            "confirm_password": GOOD_PASSWORD,
            "is_customer": True,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    user = User.objects.get()
    assert response.json() == {
        "message": "User registered successfully.",
        "id": user.pk,
        "email": "ama@example.com",
        "first_name": "",
        "last_name": "",
        "is_customer": True,
        "is_manufacturer": False,
        "is_google_user": False,
        "phone": None,
        "phone2": None,
        "profile": {
            "id": user.pk,
            "user": user.pk,
            "role": "customer",
            "profile_picture": None,
            "phone": None,
            "phone2": None,
            "first_name": "",
            "last_name": "",
            "contact_details": {},
            "loyalty_points": 0,
        },
    }
    assert user.check_password(GOOD_PASSWORD)
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert CustomerProfile.objects.filter(user=user).exists()


def test_register_a_manufacturer_by_form_post_gets_profile_and_group(api_client):
    response = api_client.post(
        "/accounts/register",
        {"email": "maker@example.com", "password": GOOD_PASSWORD, "is_manufacturer": "true"},
    )  # application/x-www-form-urlencoded is not APIClient's default: multipart is; both parse

    assert response.status_code == 201, response.json()
    user = User.objects.get(email="maker@example.com")
    assert (user.is_customer, user.is_manufacturer) == (False, True)
    assert ManufacturerProfile.objects.get(user=user).display_name == "maker@example.com"
    assert list(user.groups.values_list("name", flat=True)) == [MANUFACTURERS_GROUP_NAME]
    assert response.json()["profile"]["role"] == "manufacturer"


def test_register_urlencoded(api_client):
    response = api_client.post(
        "/accounts/register",
        "email=form%40example.com&password=Kente-Weave-2024%21&is_customer=on",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201, response.json()
    assert User.objects.get(email="form@example.com").is_customer is True


def test_register_without_a_role_makes_a_customer(api_client):
    response = api_client.post(
        "/accounts/register", {"email": "x@example.com", "password": GOOD_PASSWORD}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["is_customer"], response.json()["is_manufacturer"]) == (True, False)


def test_register_ignores_attempts_to_become_staff(api_client):
    response = api_client.post(
        "/accounts/register",
        {
            "email": "sneaky@example.com",
            "password": GOOD_PASSWORD,
            "is_staff": True,
            "is_superuser": True,
        },
        format="json",
    )
    assert response.status_code == 201
    user = User.objects.get(email="sneaky@example.com")
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_duplicate_email_in_another_case_is_400_with_detail_and_nothing_written(
    api_client, customer
):
    response = api_client.post(
        "/accounts/register",
        {"email": "BUYER@martaf.test", "password": GOOD_PASSWORD, "is_customer": True},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "email: A user with this email address already exists.",
        "email": ["A user with this email address already exists."],
    }
    assert User.objects.count() == 1


def test_mismatched_passwords_are_400_and_nothing_written(api_client):
    response = api_client.post(
        "/accounts/register",
        {"email": "a@example.com", "password": GOOD_PASSWORD, "confirm_password": "other-pass-1"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "confirm_password: Passwords do not match.",
        "confirm_password": ["Passwords do not match."],
    }
    assert User.objects.count() == 0


def test_weak_password_is_refused_by_djangos_validators(api_client):
    response = api_client.post(
        "/accounts/register", {"email": "a@example.com", "password": "12345678"}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["password"] == [
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert body["detail"] == "password: This password is too common."
    assert User.objects.count() == 0


def test_missing_fields_are_listed(api_client):
    response = api_client.post("/accounts/register", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "email: This field is required.",
        "email": ["This field is required."],
        "password": ["This field is required."],
    }


def test_invalid_email_is_400(api_client):
    response = api_client.post(
        "/accounts/register", {"email": "not-an-email", "password": GOOD_PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["email"] == ["Enter a valid email address."]


def test_options_metadata_as_in_the_seed(api_client):
    response = api_client.options("/accounts/register")

    assert response.status_code == 200
    assert response["Allow"] == "POST, OPTIONS"
    body = response.json()
    assert body["renders"] == ["application/json", "text/html"]
    assert body["parses"] == [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ]
    assert set(body["actions"]["POST"]) >= {"email", "password", "is_customer", "is_manufacturer"}


def test_stale_bearer_header_is_ignored(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.garbage")
    response = api_client.post(
        "/accounts/register", {"email": "a@example.com", "password": GOOD_PASSWORD}, format="json"
    )
    assert response.status_code == 201


def test_get_is_405_json(api_client):
    response = api_client.get("/accounts/register")
    assert response.status_code == 405
    # Every DRF error carries its code (core.api.exception_handler).
    assert response.json() == {"detail": 'Method "GET" not allowed.', "code": "method_not_allowed"}


def test_rest_registration_route_shares_the_flow(api_client, customer):
    ok = api_client.post(
        "/api/auth/registration/",
        {"email": "rest@example.com", "password": GOOD_PASSWORD},
        format="json",
    )
    duplicate = api_client.post(
        "/api/auth/registration",
        {"email": customer.email, "password": GOOD_PASSWORD},
        format="json",
    )

    assert ok.status_code == 201
    assert ok.json()["email"] == "rest@example.com"
    assert duplicate.status_code == 400
    assert User.objects.count() == 2


def test_registration_is_throttled(api_client):
    from rest_framework.throttling import ScopedRateThrottle

    allowed, _ = ScopedRateThrottle().parse_rate(ScopedRateThrottle.THROTTLE_RATES["register"])
    for n in range(allowed):
        api_client.post("/accounts/register", {"email": f"u{n}@example.com"}, format="json")

    response = api_client.post(
        "/accounts/register", {"email": "late@example.com", "password": GOOD_PASSWORD},
        format="json",
    )

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled.")
    assert not User.objects.filter(email="late@example.com").exists()


def test_register_with_names_and_a_phone(api_client):
    response = api_client.post(
        "/accounts/register",
        {
            "email": "kwame@example.com",
            "password": GOOD_PASSWORD,
            "first_name": "Kwame",
            "last_name": "Asante",
            "phone": "+233201000005",
        },
        format="json",
    )

    assert response.status_code == 201
    user = User.objects.get()
    assert (user.first_name, user.last_name, str(user.phone)) == ("Kwame", "Asante", "+233201000005")
    assert response.json()["profile"]["phone"] == "+233201000005"


def test_register_with_a_phone_already_in_use_is_400(api_client, customer):
    customer.phone = "+233201000005"
    customer.save(update_fields=["phone"])

    response = api_client.post(
        "/accounts/register",
        {"email": "other@example.com", "password": GOOD_PASSWORD, "phone": "+233201000005"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["detail", "phone"]
    assert User.objects.count() == 1
