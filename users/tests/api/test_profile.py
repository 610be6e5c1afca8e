import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from PIL import Image
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import aware_utcnow

from conftest import PASSWORD
from users.models import CustomerProfile, ManufacturerProfile

pytestmark = pytest.mark.django_db

BOUNDARY = "BoUnDaRyStRiNg"


def png(name: str = "me.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (232, 163, 23)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def multipart_patch(client, path: str, fields: list[tuple[str, object]]):
    """A multipart PATCH whose fields may repeat (the storefront sends ``email`` twice)."""
    lines = []
    for name, value in fields:
        lines.append(f"--{BOUNDARY}")
        if isinstance(value, SimpleUploadedFile):
            lines.append(f'Content-Disposition: form-data; name="{name}"; filename="{value.name}"')
            lines.append(f"Content-Type: {value.content_type}")
            lines.append("")
            lines.append(value.read().decode("latin-1"))
        else:
            lines.append(f'Content-Disposition: form-data; name="{name}"')
            lines.append("")
            lines.append(str(value))
    lines.extend([f"--{BOUNDARY}--", ""])
    body = "\r\n".join(lines).encode("latin-1")
    return client.patch(path, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


# --- GET /accounts/UserDetails ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/accounts/UserDetails", "/accounts/UserDetails/", "/api/auth/user/"]
)
def test_user_details_of_a_customer(jwt_client, customer, path):
    customer.first_name, customer.last_name, customer.phone = "Ama", "Mensah", "+233201000001"
    customer.save()

    response = jwt_client(customer).get(path)

    assert response.status_code == 200
    assert response.json() == {
        "id": customer.pk,
        "email": "buyer@martaf.test",
        "first_name": "Ama",
        "last_name": "Mensah",
        "is_customer": True,
        "is_manufacturer": False,
        "is_google_user": False,
        "phone": "+233201000001",
        "phone2": None,
        "profile": {
            "id": customer.pk,
            "user": customer.pk,
            "role": "customer",
            "profile_picture": None,
            "phone": "+233201000001",
            "phone2": None,
            "first_name": "Ama",
            "last_name": "Mensah",
            "contact_details": {},
            "loyalty_points": 0,
        },
    }


def test_profile_is_an_object_even_without_a_role_profile(jwt_client, staff_user):
    profile = jwt_client(staff_user).get("/accounts/UserDetails").json()["profile"]

    assert profile == {
        "id": None,
        "user": staff_user.pk,
        "role": None,
        "profile_picture": None,
        "phone": None,
        "phone2": None,
        "first_name": "Sam",
        "last_name": "",
        "contact_details": None,
        "loyalty_points": None,
    }


def test_a_manufacturer_that_is_also_a_customer_shows_the_manufacturer_picture(jwt_client, db):
    from users.services import user_create

    user = user_create(email="both@martaf.test", is_customer=True, is_manufacturer=True)
    ManufacturerProfile.objects.filter(user=user).update(profile_picture="profiles/m.png")
    CustomerProfile.objects.filter(user=user).update(loyalty_points=7)

    profile = jwt_client(user).get("/accounts/UserDetails").json()["profile"]

    assert profile["role"] == "manufacturer"
    assert profile["profile_picture"] == "http://testserver/media/profiles/m.png"
    assert profile["loyalty_points"] == 7


def test_user_details_without_a_token_is_401_json(api_client, db):
    response = api_client.get("/accounts/UserDetails")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided.", "code": "not_authenticated"
    }


def test_user_details_with_an_expired_token_is_401(api_client, customer):
    access = AccessToken.for_user(customer)
    access.set_exp(from_time=aware_utcnow() - timedelta(hours=1), lifetime=timedelta(minutes=10))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    response = api_client.get("/accounts/UserDetails/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Given token not valid for any token type"


def test_user_details_does_not_accept_a_session(api_client, customer):
    api_client.force_login(customer)
    assert api_client.get("/accounts/UserDetails").status_code == 401


def test_a_refresh_token_is_not_an_access_token(api_client, customer):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(customer)}")
    assert api_client.get("/accounts/UserDetails").status_code == 401


# --- PATCH /accounts/UserDetails/ ------------------------------------------------------------


def test_patch_with_flat_multipart_fields_updates_user_and_profile(jwt_client, customer):
    client = jwt_client(customer)

    response = multipart_patch(
        client,
        "/accounts/UserDetails/",
        [
            ("first_name", "Ama"),
            ("last_name", "Mensah"),
            ("phone", "+233201000001"),
            ("phone2", "+233 24 100 0002"),
            ("email", "buyer@martaf.test"),
            ("email", "Ama.New@Martaf.test"),
            ("current_password", PASSWORD),
            ("profile_picture", png()),
        ],
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    customer.refresh_from_db()
    picture = customer.customer_profile.profile_picture
    assert picture.name.startswith("profiles/customers/me")
    assert default_storage.exists(picture.name)
    assert body == {
        "id": customer.pk,
        "email": "ama.new@martaf.test",
        "first_name": "Ama",
        "last_name": "Mensah",
        "is_customer": True,
        "is_manufacturer": False,
        "is_google_user": False,
        "phone": "+233201000001",
        "phone2": "+233241000002",
        "profile": {
            "id": customer.pk,
            "user": customer.pk,
            "role": "customer",
            "profile_picture": f"http://testserver/media/{picture.name}",
            "phone": "+233201000001",
            "phone2": "+233241000002",
            "first_name": "Ama",
            "last_name": "Mensah",
            "contact_details": {},
            "loyalty_points": 0,
        },
    }
    assert (customer.email, str(customer.phone2)) == ("ama.new@martaf.test", "+233241000002")


def test_patch_with_an_empty_picture_removes_it_and_its_file(
    jwt_client, customer, django_capture_on_commit_callbacks
):
    client = jwt_client(customer)
    multipart_patch(client, "/accounts/UserDetails/", [("profile_picture", png())])
    old_name = CustomerProfile.objects.get(user=customer).profile_picture.name

    with django_capture_on_commit_callbacks(execute=True):
        response = multipart_patch(client, "/accounts/UserDetails/", [("profile_picture", "")])

    assert response.status_code == 200
    assert response.json()["profile"]["profile_picture"] is None
    assert CustomerProfile.objects.get(user=customer).profile_picture.name == ""
    assert not default_storage.exists(old_name)


def test_patch_replacing_the_picture_deletes_the_old_file(
    jwt_client, customer, django_capture_on_commit_callbacks
):
    client = jwt_client(customer)
    multipart_patch(client, "/accounts/UserDetails/", [("profile_picture", png("a.png"))])
    old_name = CustomerProfile.objects.get(user=customer).profile_picture.name

    with django_capture_on_commit_callbacks(execute=True):
        multipart_patch(client, "/accounts/UserDetails/", [("profile_picture", png("b.png"))])

    new_name = CustomerProfile.objects.get(user=customer).profile_picture.name
    assert new_name.startswith("profiles/customers/b")
    assert default_storage.exists(new_name)
    assert not default_storage.exists(old_name)


def test_patch_with_json_and_blank_phone_clears_it(jwt_client, customer):
    customer.phone = "+233201000001"
    customer.save()

    response = jwt_client(customer).patch(
        "/accounts/UserDetails", {"phone": "", "contact_details": {"city": "Accra"}}, format="json"
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.phone is None
    assert customer.customer_profile.contact_details == {"city": "Accra"}
    assert response.json()["profile"]["contact_details"] == {"city": "Accra"}


def test_patch_contact_details_as_a_json_string_in_multipart(jwt_client, customer):
    response = multipart_patch(
        jwt_client(customer), "/accounts/UserDetails/", [("contact_details", '{"city": "Kumasi"}')]
    )
    assert response.status_code == 200
    assert CustomerProfile.objects.get(user=customer).contact_details == {"city": "Kumasi"}


def test_patch_to_an_email_taken_by_someone_else_is_400_and_changes_nothing(
    jwt_client, customer, manufacturer_a
):
    response = jwt_client(customer).patch(
        "/accounts/UserDetails/",
        encode_multipart(
            BOUNDARY,
            {
                "email": "MAKER.A@martaf.test",
                "first_name": "Changed",
                "current_password": PASSWORD,
            },
        ),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "email: A user with this email address already exists.",
        "email": ["A user with this email address already exists."],
    }
    customer.refresh_from_db()
    assert (customer.email, customer.first_name) == ("buyer@martaf.test", "")


def test_patch_to_a_phone_taken_by_someone_else_is_400(jwt_client, customer, manufacturer_a):
    manufacturer_a.phone = "+233201000009"
    manufacturer_a.save()

    response = jwt_client(customer).patch(
        "/accounts/UserDetails/", {"phone": "+233201000009"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["detail", "phone"]
    customer.refresh_from_db()
    assert customer.phone is None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("phone", "12", "Enter a valid phone number."),
        ("phone2", "abc", "Enter a valid phone number."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "", "This field may not be blank."),
    ],
)
def test_patch_invalid_values_are_400(jwt_client, customer, field, value, message):
    response = jwt_client(customer).patch("/accounts/UserDetails/", {field: value}, format="json")

    assert response.status_code == 400
    assert response.json()[field] == [message]
    customer.refresh_from_db()
    assert customer.email == "buyer@martaf.test"


def test_patch_a_file_that_is_not_an_image_is_400(jwt_client, customer):
    bogus = SimpleUploadedFile("me.png", b"not an image", content_type="image/png")
    response = jwt_client(customer).patch(
        "/accounts/UserDetails/", {"profile_picture": bogus}, format="multipart"
    )
    assert response.status_code == 400
    assert "profile_picture" in response.json()
    assert CustomerProfile.objects.get(user=customer).profile_picture.name == ""


def test_patch_a_picture_without_a_role_profile_is_400(jwt_client, staff_user):
    response = jwt_client(staff_user).patch(
        "/accounts/UserDetails/", {"profile_picture": png()}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["profile_picture"] == [
        "This account has no customer or manufacturer profile."
    ]


def test_patch_cannot_grant_roles_or_staff(jwt_client, customer):
    response = jwt_client(customer).patch(
        "/accounts/UserDetails/",
        {"is_staff": True, "is_manufacturer": True, "is_superuser": True},
        format="json",
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.is_staff, customer.is_manufacturer, customer.is_superuser) == (
        False,
        False,
        False,
    )


def test_patch_without_a_token_is_401(api_client, customer):
    response = api_client.patch("/accounts/UserDetails/", {"first_name": "X"}, format="json")
    assert response.status_code == 401
    customer.refresh_from_db()
    assert customer.first_name == ""


def test_patch_needs_no_csrf_token(customer):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(customer)}")
    client.cookies["sessionid"] = "x"
    response = client.patch("/accounts/UserDetails/", {"first_name": "Y"}, format="json")
    assert response.status_code == 200


# --- /accounts/customer ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/customer", "/accounts/customer/"])
def test_customer_profile_of_a_customer(jwt_client, customer, path):
    profile = customer.customer_profile

    response = jwt_client(customer).get(path)

    assert response.status_code == 200
    assert response.json() == {
        "user": customer.pk,
        "profile_picture": None,
        "contact_details": {},
        "loyalty_points": 0,
        "created_at": profile.created_at.isoformat().replace("+00:00", "Z"),
    }


def test_customer_profile_of_a_manufacturer_is_the_manufacturer_profile(jwt_client, manufacturer_a):
    body = jwt_client(manufacturer_a).get("/accounts/customer").json()
    assert set(body) == {"user", "display_name", "profile_picture", "bank_details", "created_at"}
    assert body["display_name"] == "Maker A"


def test_customer_profile_without_a_role_is_400(jwt_client, staff_user):
    response = jwt_client(staff_user).get("/accounts/customer")
    assert response.status_code == 400
    assert response.json() == {"detail": "No user details found!", "code": "no_role_profile"}


def test_patch_customer_profile_keeps_loyalty_points_read_only(jwt_client, customer):
    response = jwt_client(customer).patch(
        "/accounts/customer",
        {"contact_details": '{"address": "Osu"}', "loyalty_points": "999", "profile_picture": png()},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    profile = CustomerProfile.objects.get(user=customer)
    assert (profile.loyalty_points, profile.contact_details) == (0, {"address": "Osu"})
    assert response.json()["loyalty_points"] == 0
    picture_url = f"http://testserver/media/{profile.profile_picture.name}"
    assert response.json()["profile_picture"] == picture_url


def test_patch_manufacturer_profile_bank_details(jwt_client, manufacturer_a):
    response = jwt_client(manufacturer_a).patch(
        "/accounts/customer/", {"bank_details": {"iban": "GH00 1234"}}, format="json"
    )
    assert response.status_code == 200
    assert ManufacturerProfile.objects.get(user=manufacturer_a).bank_details == {"iban": "GH00 1234"}


def test_patch_customer_profile_with_invalid_json_is_400(jwt_client, customer):
    response = jwt_client(customer).patch(
        "/accounts/customer", {"contact_details": "[1, 2]"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["contact_details"] == ["Expected a JSON object."]
    assert CustomerProfile.objects.get(user=customer).contact_details == {}


def test_patch_customer_profile_without_a_role_is_400(jwt_client, staff_user):
    response = jwt_client(staff_user).patch("/accounts/customer", {}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "No user details found!"
    assert not CustomerProfile.objects.filter(user=staff_user).exists()


def test_customer_profile_without_a_token_is_401(api_client, db):
    assert api_client.get("/accounts/customer").status_code == 401



def test_contact_details_of_a_manufacturer_only_account_are_refused_before_any_write(
    jwt_client, manufacturer_a
):
    response = jwt_client(manufacturer_a).patch(
        "/accounts/UserDetails/",
        {"first_name": "Changed", "contact_details": '{"city": "Tema"}', "profile_picture": png()},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["contact_details"] == ["Only customer accounts have contact details."]
    manufacturer_a.refresh_from_db()
    assert manufacturer_a.first_name == ""
    assert ManufacturerProfile.objects.get(user=manufacturer_a).profile_picture.name == ""
