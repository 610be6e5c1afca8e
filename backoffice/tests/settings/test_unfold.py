"""The admin's look (django-unfold settings): its icon, and the account menu's storefront link."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_admin_pages_link_their_icon_and_name_the_storefront_link(client, staff_user):
    client.force_login(staff_user)

    html = client.get(reverse("admin:index")).content.decode()

    assert "backoffice/favicon.svg" in html
    assert "Open the storefront" in html and "View site" not in html
