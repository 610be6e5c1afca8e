import pytest
from rest_framework.throttling import ScopedRateThrottle

from notifications.models import OutboundMessage
from users.recovery import email_mask
from users.tests.conftest import TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN

pytestmark = pytest.mark.django_db

PHONE = "+2348012345678"
TEXTED = {"message": "Email address (masked) sent to phone number"}


@pytest.fixture
def johns_account(make_user):
    user = make_user("john.doe@domain.com", is_customer=True)
    user.phone = PHONE
    user.save(update_fields=["phone"])
    return user


def forgot(client, phone, capture, path="/forgot-email/"):
    with capture(execute=True):
        return client.post(path, {"phone_number": phone}, format="json")


@pytest.mark.parametrize(
    "email, masked",
    [
        ("john@domain.com", "j****@domain.com"),
        ("j@domain.com", "j****@domain.com"),
        ("ama.mensah@mail.example.org", "a****@mail.example.org"),
    ],
)
def test_email_mask(email, masked):
    assert email_mask(email) == masked


@pytest.mark.parametrize("path", ["/forgot-email/", "/forgot-email"])
def test_the_masked_email_is_texted_through_twilio(
    api_client, johns_account, twilio, django_capture_on_commit_callbacks, path
):
    response = forgot(api_client, PHONE, django_capture_on_commit_callbacks, path)

    assert response.status_code == 200
    assert response.json() == TEXTED
    assert len(twilio.requests) == 1
    request = twilio.requests[0]
    assert request["method"] == "POST"
    assert request["url"] == (
        f"https://api.twilio.com/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    )
    assert request["auth"] == (TWILIO_SID, TWILIO_TOKEN)
    assert request["data"] == {
        "To": PHONE,
        "From": TWILIO_FROM,
        "Body": "MARTAF: the email address of your account is j****@domain.com",
    }
    assert "john.doe" not in request["data"]["Body"]
    outbound = OutboundMessage.objects.get()
    assert (outbound.channel, outbound.recipient, outbound.user_id, outbound.event) == (
        OutboundMessage.Channel.SMS,
        PHONE,
        johns_account.pk,
        "forgot_email",
    )


def test_the_sms_is_sent_after_commit_only(api_client, johns_account, twilio):
    response = api_client.post("/forgot-email/", {"phone_number": PHONE}, format="json")
    assert response.status_code == 200
    assert twilio.requests == []  # the test transaction never commits


def test_unknown_phone_is_404_and_nothing_is_sent(
    api_client, johns_account, sms_outbox, django_capture_on_commit_callbacks
):
    response = forgot(api_client, "+2348099999999", django_capture_on_commit_callbacks)

    assert response.status_code == 404
    assert response.json() == {
        "detail": "No active account found with this phone number.",
        "code": "phone_unknown",
    }
    assert sms_outbox == []
    assert OutboundMessage.objects.count() == 0


def test_an_inactive_account_is_not_found(
    api_client, johns_account, sms_outbox, django_capture_on_commit_callbacks
):
    johns_account.is_active = False
    johns_account.save(update_fields=["is_active"])

    assert forgot(api_client, PHONE, django_capture_on_commit_callbacks).status_code == 404
    assert sms_outbox == []


def test_the_second_phone_is_not_a_recovery_key(
    api_client, johns_account, sms_outbox, django_capture_on_commit_callbacks
):
    johns_account.phone2 = "+2348011111111"
    johns_account.save(update_fields=["phone2"])

    response = forgot(api_client, "+2348011111111", django_capture_on_commit_callbacks)
    assert response.status_code == 404


def test_with_enumeration_protection_known_and_unknown_phones_look_the_same(
    api_client, johns_account, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.API_PREVENT_ACCOUNT_ENUMERATION = True

    known = forgot(api_client, PHONE, django_capture_on_commit_callbacks)
    unknown = forgot(api_client, "+2348099999999", django_capture_on_commit_callbacks)

    assert (known.status_code, unknown.status_code) == (200, 200)
    assert known.json() == unknown.json()
    assert [sms.to for sms in sms_outbox] == [PHONE]


@pytest.mark.parametrize(
    "phone", ["08012345678", "+234 801 234 5678", "2348012345678", "+0123456789", "+12", ""]
)
def test_a_number_not_in_e164_is_400(api_client, johns_account, sms_outbox, phone):
    response = api_client.post("/forgot-email/", {"phone_number": phone}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["detail", "phone_number"]
    assert sms_outbox == []


def test_missing_phone_is_400(api_client, db):
    response = api_client.post("/forgot-email/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["phone_number"] == ["This field is required."]


def test_sms_not_configured_is_a_clear_500(
    api_client, johns_account, twilio_unconfigured, django_capture_on_commit_callbacks
):
    response = forgot(api_client, PHONE, django_capture_on_commit_callbacks)

    assert response.status_code == 500
    assert response.json() == {
        "detail": (
            "SMS is not configured on this server: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN "
            "and TWILIO_FROM_NUMBER."
        ),
        "code": "sms_not_configured",
    }
    assert OutboundMessage.objects.count() == 0


def test_sms_not_configured_does_not_reveal_whether_the_phone_is_known(
    api_client, db, twilio_unconfigured
):
    response = api_client.post("/forgot-email/", {"phone_number": PHONE}, format="json")
    assert response.status_code == 500


def test_forgot_email_ignores_a_stale_bearer_header(
    api_client, johns_account, sms_outbox, django_capture_on_commit_callbacks
):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer stale")
    assert forgot(api_client, PHONE, django_capture_on_commit_callbacks).status_code == 200
    assert [sms.body for sms in sms_outbox] == [
        "MARTAF: the email address of your account is j****@domain.com"
    ]


def test_forgot_email_is_throttled(
    api_client, johns_account, sms_outbox, django_capture_on_commit_callbacks
):
    allowed, _ = ScopedRateThrottle().parse_rate(
        ScopedRateThrottle.THROTTLE_RATES["password_reset"]
    )
    for _ in range(allowed):
        forgot(api_client, PHONE, django_capture_on_commit_callbacks)

    response = forgot(api_client, PHONE, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert len(sms_outbox) == allowed
