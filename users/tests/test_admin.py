"""Staff's user admin: list, filters, search, add with profiles, change."""

import pytest
from django.urls import reverse

from core.permissions import MANUFACTURERS_GROUP_NAME
from users.models import ManufacturerProfile, User

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:users_user_changelist")


def test_changelist_filters_by_role(client, staff_user, manufacturer_a, customer):
    client.force_login(staff_user)

    response = client.get(CHANGELIST, {"is_manufacturer__exact": "1"})

    assert response.status_code == 200
    assert [u.email for u in response.context["cl"].result_list] == [manufacturer_a.email]


def test_changelist_search_by_company_name(client, staff_user, manufacturer_a, manufacturer_b):
    client.force_login(staff_user)

    response = client.get(CHANGELIST, {"q": "Maker B"})

    assert [u.email for u in response.context["cl"].result_list] == [manufacturer_b.email]


def test_changelist_query_count_does_not_grow_with_rows(
    client, staff_user, make_user, django_assert_max_num_queries
):
    for i in range(30):
        make_user(f"bulk{i}@martaf.test", is_customer=True)
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        assert client.get(CHANGELIST).status_code == 200


def test_adding_a_manufacturer_creates_profile_and_group(client, staff_user):
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:users_user_add"),
        {
            "email": "New.Maker@Example.com",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
            "usable_password": "true",
            "first_name": "Nana",
            "last_name": "Yeboah",
            "is_manufacturer": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new.maker@example.com")
    assert ManufacturerProfile.objects.get(user=user).display_name == "Nana Yeboah"
    assert list(user.groups.values_list("name", flat=True)) == [MANUFACTURERS_GROUP_NAME]


def test_adding_a_duplicate_email_shows_a_form_error(client, staff_user, customer):
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:users_user_add"),
        {
            "email": customer.email.upper(),
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert "A user with this email address already exists." in response.content.decode()
    assert User.objects.filter(email__lower=customer.email).count() == 1


def test_change_page_shows_the_profile_tab(client, staff_user, manufacturer_a):
    client.force_login(staff_user)

    response = client.get(reverse("admin:users_user_change", args=[manufacturer_a.pk]))

    assert response.status_code == 200
    assert "Maker A" in response.content.decode()
