"""Staff's review page of a manufacturer application (backoffice.approval): what it shows,
approve and reject through users.onboarding, a reject without a reason refused, the page
closed to manufacturers (status and nothing changed), its query count."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse

from backoffice.tests.applicants import applicant_signed_up
from conftest import PASSWORD
from core.roles import ManufacturerStatus
from money.models import BankAccount
from money.services.bank_accounts import bank_account_change
from notifications.models import Notification, NotificationEvent
from users.models import User
from users.services import user_register
from users.tests.helpers import set_status

pytestmark = pytest.mark.django_db

Status = ManufacturerStatus


def _review(user) -> str:
    return reverse("admin:onboarding_review", args=[user.pk])


@pytest.fixture
def applicant(staff_user) -> User:
    """A manufacturer who signed themselves up (pending), with a phone and bank details."""
    return applicant_signed_up()


def _decisions_of(user) -> list[str]:
    return list(
        LogEntry.objects.filter(object_id=str(user.pk)).values_list("change_message", flat=True)
    )


def test_the_page_shows_the_profile_bank_details_and_history(client, staff_user, applicant):
    client.force_login(staff_user)

    response = client.get(_review(applicant))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Adinkra Prints",
        "Ama Mensah",
        "adinkra@martaf.test",
        "+233201234567",
        "Guaranty Trust Bank",
        "0123456789",
        "Signed up as a manufacturer.",
        "Awaiting approval",
    ):
        assert text in html, text
    assert 'name="decision" value="approve"' in html
    assert 'name="decision" value="reject"' in html
    assert "onboarding.css" in html


def test_approve_goes_through_the_service_and_says_so(
    client, staff_user, applicant, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_review(applicant), {"decision": "approve"}, follow=True)

    applicant.refresh_from_db()
    assert applicant.manufacturer_status == Status.ACTIVE
    assert response.redirect_chain == [(_review(applicant), 302)]
    assert [str(m) for m in response.context["messages"]] == ["adinkra@martaf.test approved."]
    assert Notification.objects.filter(
        user=applicant, event=NotificationEvent.MANUFACTURER_APPROVED
    ).exists()
    assert applicant.email in [m.to[0] for m in mail.outbox]
    html = response.content.decode()
    assert "Manufacturer account approved by staff@martaf.test." in html  # the history
    assert 'value="approve"' not in html  # nothing left to decide


def test_reject_with_a_reason(client, staff_user, applicant):
    client.force_login(staff_user)

    response = client.post(
        _review(applicant), {"decision": "reject", "reason": "No business registration"}
    )

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.manufacturer_status, applicant.manufacturer_status_reason) == (
        Status.REJECTED,
        "No business registration",
    )
    assert _decisions_of(applicant) == [
        "Manufacturer account rejected by staff@martaf.test: No business registration"
    ]
    page = client.get(_review(applicant)).content.decode()
    # A rejected application may still be approved, not rejected again.
    assert 'value="approve"' in page and 'value="reject"' not in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_a_reason_changes_nothing(client, staff_user, applicant, reason):
    client.force_login(staff_user)

    response = client.post(_review(applicant), {"decision": "reject", "reason": reason})

    assert response.status_code == 400
    assert "Give the reason: the manufacturer is told why." in response.content.decode()
    applicant.refresh_from_db()
    assert (applicant.manufacturer_status, applicant.manufacturer_status_reason) == (
        Status.PENDING,
        "",
    )
    assert _decisions_of(applicant) == []
    assert not Notification.objects.filter(user=applicant).exists()


def test_an_unknown_decision_is_refused(client, staff_user, applicant):
    client.force_login(staff_user)

    response = client.post(_review(applicant), {"decision": "suspend", "reason": "x"})

    assert response.status_code == 400
    applicant.refresh_from_db()
    assert applicant.manufacturer_status == Status.PENDING


def test_approving_twice_says_it_cannot(client, staff_user, applicant):
    client.force_login(staff_user)
    client.post(_review(applicant), {"decision": "approve"}, follow=True)

    again = client.post(_review(applicant), {"decision": "approve"}, follow=True)

    assert [str(m) for m in again.context["messages"]] == ["Cannot do this: the account is Active."]
    assert len(_decisions_of(applicant)) == 1


@pytest.mark.parametrize("who", ["manufacturer_a", "manufacturer_b_pending"])
@pytest.mark.parametrize(
    "data", [None, {"decision": "approve"}, {"decision": "reject", "reason": "x"}]
)
def test_a_manufacturer_cannot_open_or_post(client, request, applicant, manufacturer_b, who, data):
    if who == "manufacturer_b_pending":
        user = set_status(manufacturer_b, Status.PENDING)
    else:
        user = request.getfixturevalue(who)  # active
    client.force_login(user)

    response = (
        client.get(_review(applicant)) if data is None else client.post(_review(applicant), data)
    )

    if who == "manufacturer_b_pending" and data is None:
        # Awaiting approval themselves: every page but their own sends them to it.
        assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    else:
        assert response.status_code == 403
    assert "Adinkra" not in response.content.decode()
    applicant.refresh_from_db()
    assert (applicant.manufacturer_status, applicant.manufacturer_status_reason) == (
        Status.PENDING,
        "",
    )
    assert _decisions_of(applicant) == []


def test_anonymous_is_sent_to_sign_in(client, applicant):
    response = client.post(_review(applicant), {"decision": "approve"})

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    applicant.refresh_from_db()
    assert applicant.manufacturer_status == Status.PENDING


def test_no_application_behind_other_ids(client, staff_user, customer):
    client.force_login(staff_user)

    assert client.get(_review(customer)).status_code == 404
    assert client.get(_review(staff_user)).status_code == 404
    assert client.get("/admin/onboarding/review/999999/").status_code == 404
    assert client.get("/admin/onboarding/review/abc/").status_code == 404


def test_next_application_walks_the_queue(client, staff_user, applicant):
    second = user_register(email="second@martaf.test", password=PASSWORD, is_manufacturer=True)
    client.force_login(staff_user)

    first_page = client.get(_review(applicant)).content.decode()
    second_page = client.get(_review(second)).content.decode()

    assert 'id="review-next"' in first_page and _review(second) in first_page
    assert _review(applicant) in second_page  # back to the other one still waiting


def test_review_page_query_count_is_fixed(client, staff_user, applicant, django_assert_num_queries):
    for n in range(3):  # earlier bank accounts and decisions do not add queries
        bank_account_change(
            manufacturer=applicant,
            bank_code="058",
            account_number=f"01234567{n}9",
            password=PASSWORD,
            actor=applicant,
        )
    client.force_login(staff_user)
    client.post(_review(applicant), {"decision": "reject", "reason": "Blurry logo"})
    client.post(_review(applicant), {"decision": "approve"})
    assert BankAccount.objects.filter(manufacturer=applicant).count() == 4

    # Session, user; the applicant with their profile; bank accounts (current and earlier);
    # the next application; the history (its content type is cached); the bell.
    with django_assert_num_queries(REVIEW_QUERIES):
        response = client.get(_review(applicant))
    assert response.status_code == 200
    assert "3 earlier accounts, replaced." in response.content.decode()


REVIEW_QUERIES = 7
