import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from users.models import AccountToken, CustomerProfile, User
from users.tests.conftest import decode_refresh, refresh_cookie

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/delete/", "/accounts/delete"])
def test_delete_removes_the_account_and_what_only_it_owns(
    signed_in, customer, path, django_capture_on_commit_callbacks
):
    client, login_response = signed_in
    profile = customer.customer_profile
    profile.profile_picture.save("me.png", ContentFile(b"png"), save=True)
    picture = profile.profile_picture.name
    access = login_response.json()["access"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(path)

    assert response.status_code == 200
    assert response.json() == {"message": "User deleted successfully"}
    assert not User.objects.filter(pk=customer.pk).exists()
    assert not CustomerProfile.objects.filter(pk=customer.pk).exists()
    assert not default_storage.exists(picture)
    assert response.cookies[settings.JWT_REFRESH_COOKIE["name"]].value == ""
    # The session's refresh token was blacklisted before the user row went away.
    jti = decode_refresh(refresh_cookie(login_response).value)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=jti).exists()
    assert OutstandingToken.objects.get(jti=jti).user is None


def test_after_deletion_the_tokens_are_useless(signed_in, customer):
    client, login_response = signed_in
    raw_refresh = refresh_cookie(login_response).value
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login_response.json()['access']}")
    client.delete("/accounts/delete/")
    client.cookies[settings.JWT_REFRESH_COOKIE["name"]] = raw_refresh

    assert client.get("/accounts/UserDetails").status_code == 401
    assert client.post("/accounts/refresh").status_code == 401


def test_delete_leaves_other_users_alone(jwt_client, customer, manufacturer_a):
    AccountToken.objects.create(
        user=manufacturer_a,
        purpose="password_reset",
        token_hash="x" * 64,
        expires_at="2999-01-01T00:00:00Z",
    )

    jwt_client(customer).delete("/accounts/delete/")

    assert list(User.objects.values_list("email", flat=True)) == ["maker.a@martaf.test"]
    assert AccountToken.objects.filter(user=manufacturer_a).count() == 1


def test_delete_without_a_token_is_401_and_deletes_nothing(api_client, customer):
    response = api_client.delete("/accounts/delete/")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided.", "code": "not_authenticated"
    }
    assert User.objects.filter(pk=customer.pk).exists()


def test_staff_cannot_delete_themselves_through_the_storefront_api(jwt_client, staff_user):
    response = jwt_client(staff_user).delete("/accounts/delete/")

    assert response.status_code == 403
    assert response.json()["code"] == "staff_self_delete"
    assert User.objects.filter(pk=staff_user.pk).exists()


def test_post_is_not_a_delete(jwt_client, customer):
    response = jwt_client(customer).post("/accounts/delete/")
    assert response.status_code == 405
    assert User.objects.filter(pk=customer.pk).exists()


# Orders and reviews must outlive the account that made them: whatever models the
# orders and catalog apps define, their links to a user may not cascade on delete.
KEPT_WHEN_USER_IS_DELETED = [("orders", "Order"), ("reviews", "Review")]


@pytest.mark.parametrize("app_label, model_name", KEPT_WHEN_USER_IS_DELETED)
def test_orders_and_reviews_do_not_cascade_on_user_delete(app_label, model_name):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        pytest.skip(f"{app_label}.{model_name} does not exist yet")
    user_model = get_user_model()
    for field in model._meta.get_fields():
        if field.many_to_one and field.related_model is user_model:
            assert field.remote_field.on_delete is not models.CASCADE, (
                f"{model_name}.{field.name} would delete the row with its user: use SET_NULL"
            )
