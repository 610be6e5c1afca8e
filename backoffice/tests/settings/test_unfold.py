"""What a developer sees: one line per email on the console, a favicon, the storefront link."""

import io

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from core.mail import OneLineConsoleBackend


def test_development_emails_print_one_line_each():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        "Order MT-1 placed", "Plain body\nwith lines", to=["ama@example.com", "kofi@example.com"]
    )
    message.attach_alternative("<p>HTML body</p>", "text/html")

    sent = OneLineConsoleBackend(stream=stream).send_messages([message])

    assert sent == 1
    assert stream.getvalue() == (
        'email to ama@example.com, kofi@example.com: "Order MT-1 placed" (html)\n'
    )


def test_the_default_mail_backend_without_a_mail_server_is_the_one_line_one(settings):
    from backoffice.settings import messaging

    if not messaging.EMAIL_HOST:
        assert messaging.EMAIL_BACKEND == "core.mail.OneLineConsoleBackend"


@pytest.mark.django_db
def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")


@pytest.mark.django_db
def test_admin_pages_link_their_icon_and_name_the_storefront_link(client, staff_user):
    client.force_login(staff_user)

    html = client.get(reverse("admin:index")).content.decode()

    assert "backoffice/favicon.svg" in html
    assert "Open the storefront" in html and "View site" not in html
