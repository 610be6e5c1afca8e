"""Vendor onboarding: the starting status of new manufacturers, staff's decisions, what each
status may do through the API, and the storefront hiding a suspended manufacturer's products."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail

from catalog.models import Product
from catalog.selectors import products_public
from catalog.services import category_get_or_create_path, product_create
from core.roles import BackofficeAccess, ManufacturerStatus, backoffice_access
from notifications.models import Notification, NotificationEvent
from users.errors import AccountError
from users.models import User
from users.onboarding import DECISIONS, MANUFACTURER_MOVES, manufacturers_decide
from users.services import user_create

pytestmark = pytest.mark.django_db

Status = ManufacturerStatus


def _register(api_client, email, **roles):
    return api_client.post(
        "/accounts/register",
        {"email": email, "password": "a-Strong-pass-123", **roles},
        format="json",
    )


# --- Starting status --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/register", "/api/auth/registration/"])
def test_a_self_registered_manufacturer_starts_pending(api_client, path):
    response = api_client.post(
        path,
        {"email": "new@maker.test", "password": "a-Strong-pass-123", "is_manufacturer": True},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["message"] == (
        "User registered successfully. Your manufacturer account is awaiting approval: "
        "you can sign in to the backoffice to complete your profile meanwhile."
    )
    user = User.objects.get(email="new@maker.test")
    assert user.manufacturer_status == Status.PENDING
    assert backoffice_access(user) == BackofficeAccess.AWAITING


def test_with_review_off_a_new_manufacturer_is_admitted_at_once(api_client, settings):
    settings.MANUFACTURER_SIGNUP_REVIEW = False

    assert _register(api_client, "new@maker.test", is_manufacturer=True).status_code == 201

    user = User.objects.get(email="new@maker.test")
    assert (user.manufacturer_status, backoffice_access(user)) == (
        Status.ACTIVE,
        BackofficeAccess.FULL,
    )


def test_customers_and_staff_made_manufacturers_are_not_held_for_review(api_client):
    _register(api_client, "shopper@example.com")
    made_by_staff = user_create(email="m@maker.test", is_manufacturer=True)

    assert User.objects.get(email="shopper@example.com").manufacturer_status == Status.ACTIVE
    assert made_by_staff.manufacturer_status == Status.ACTIVE


def test_the_data_migration_admitted_existing_accounts():
    # The model's default is pending (a forgotten path waits for review); rows that existed
    # when the field arrived were set active by migration 0005.
    assert User._meta.get_field("manufacturer_status").default == Status.PENDING
    from importlib import import_module

    migration = import_module("users.migrations.0005_manufacturer_status")
    assert any(
        getattr(op, "code", None) is migration.admit_existing_accounts
        for op in migration.Migration.operations
    )


# --- Staff's decisions ------------------------------------------------------------------------


@pytest.fixture
def applicant(api_client):
    _register(api_client, "applicant@maker.test", is_manufacturer=True)
    return User.objects.get(email="applicant@maker.test")


def test_approving_tells_the_manufacturer_and_records_who(
    applicant, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        done, skipped = manufacturers_decide(
            users=[applicant], actor=staff_user, decision="approve"
        )

    applicant.refresh_from_db()
    assert (done, skipped, applicant.manufacturer_status) == ([applicant], [], Status.ACTIVE)
    note = Notification.objects.get(user=applicant)
    assert note.event == NotificationEvent.MANUFACTURER_APPROVED
    assert note.title == "Your MARTAF manufacturer account is approved"
    assert [m.subject for m in mail.outbox] == ["Your MARTAF manufacturer account is approved"]
    entry = LogEntry.objects.get(object_id=str(applicant.pk))
    assert entry.user == staff_user
    assert entry.change_message == "Manufacturer account approved by staff@martaf.test."


def test_rejecting_needs_a_reason_and_keeps_it(
    applicant, staff_user, django_capture_on_commit_callbacks
):
    with pytest.raises(AccountError) as refused:
        manufacturers_decide(users=[applicant], actor=staff_user, decision="reject", reason=" ")
    applicant.refresh_from_db()
    assert refused.value.code == "onboarding_reason_required"
    assert applicant.manufacturer_status == Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        manufacturers_decide(
            users=[applicant],
            actor=staff_user,
            decision="reject",
            reason="No company registration",
        )

    applicant.refresh_from_db()
    assert applicant.manufacturer_status == Status.REJECTED
    assert applicant.manufacturer_status_reason == "No company registration"
    assert Notification.objects.get(user=applicant).body == "Reason: No company registration"
    assert mail.outbox[-1].subject == "Your MARTAF manufacturer application was not approved"


def test_decisions_that_do_not_fit_the_status_are_skipped(
    applicant, manufacturer_a, customer, staff_user
):
    done, skipped = manufacturers_decide(
        users=[applicant, manufacturer_a, customer], actor=staff_user, decision="approve"
    )

    assert done == [applicant]
    assert sorted((user.email, why) for user, why in skipped) == [
        ("buyer@martaf.test", "not a manufacturer"),
        ("maker.a@martaf.test", "the account is Active"),
    ]
    manufacturer_a.refresh_from_db()
    assert manufacturer_a.manufacturer_status == Status.ACTIVE
    assert not Notification.objects.filter(
        user__in=[manufacturer_a, customer], event=NotificationEvent.MANUFACTURER_APPROVED
    ).exists()


# The moves as they are today, written out, with the decision that takes each: the table and
# the decisions must stay exactly these.
MOVES_TODAY = {
    (Status.PENDING, Status.ACTIVE): "approve",
    (Status.REJECTED, Status.ACTIVE): "approve",
    (Status.PENDING, Status.REJECTED): "reject",
    (Status.ACTIVE, Status.SUSPENDED): "suspend",
    (Status.SUSPENDED, Status.ACTIVE): "reinstate",
}


def test_the_onboarding_moves_are_exactly_todays():
    allowed = {(s, t) for s in Status for t in Status if MANUFACTURER_MOVES.allows(s, t)}
    assert allowed == set(MOVES_TODAY)
    assert {
        (s, decision.to): name
        for name, decision in DECISIONS.items()
        for s in decision.allowed_from
    } == MOVES_TODAY


@pytest.mark.parametrize("decision", ["approve", "reject", "suspend", "reinstate"])
@pytest.mark.parametrize("start", list(Status))
def test_a_decision_is_taken_only_along_its_moves(manufacturer_a, staff_user, decision, start):
    User.objects.filter(pk=manufacturer_a.pk).update(manufacturer_status=start)
    move = next(
        (m for m, name in MOVES_TODAY.items() if m[0] == start and name == decision), None
    )

    done, skipped = manufacturers_decide(
        users=[manufacturer_a], actor=staff_user, decision=decision, reason="why"
    )

    manufacturer_a.refresh_from_db()
    if move:
        assert (done, skipped) == ([manufacturer_a], [])
        assert manufacturer_a.manufacturer_status == move[1]
    else:
        assert done == [] and [user for user, _ in skipped] == [manufacturer_a]
        assert manufacturer_a.manufacturer_status == start
        assert not LogEntry.objects.filter(object_id=str(manufacturer_a.pk)).exists()


def test_only_staff_decide(applicant, manufacturer_a):
    with pytest.raises(AccountError) as refused:
        manufacturers_decide(users=[applicant], actor=manufacturer_a, decision="approve")

    applicant.refresh_from_db()
    assert refused.value.code == "onboarding_staff_only"
    assert applicant.manufacturer_status == Status.PENDING


# --- Suspension: the storefront and the API -----------------------------------------------------


@pytest.fixture
def public_product(manufacturer_a, staff_user):
    category = category_get_or_create_path(names=["Home"])
    product = product_create(
        manufacturer=manufacturer_a,
        actor=staff_user,
        name="Kente stole",
        price=Decimal("50.00"),
        category=category,
        stock=5,
    )
    assert products_public().filter(pk=product.pk).exists()
    return product


def test_suspending_hides_the_products_at_once_and_deletes_nothing(
    api_client, public_product, manufacturer_a, staff_user, django_capture_on_commit_callbacks
):
    # The decision commits: the catalogue's version moves on and cached pages are retired.
    with django_capture_on_commit_callbacks(execute=True):
        manufacturers_decide(
            users=[manufacturer_a], actor=staff_user, decision="suspend", reason="Counterfeits"
        )

    assert not products_public().filter(pk=public_product.pk).exists()
    listed = api_client.get("/products/list/").json()
    assert listed["count"] == 0
    assert api_client.get(f"/products/{public_product.pk}/").status_code == 404
    product = Product.objects.get(pk=public_product.pk)  # nothing deleted or changed
    assert (product.approval_status, product.is_active, product.inventory) == (
        public_product.approval_status,
        True,
        5,
    )
    manufacturer_a.refresh_from_db()
    assert backoffice_access(manufacturer_a) == BackofficeAccess.READ_ONLY
    assert Notification.objects.get(
        user=manufacturer_a, event=NotificationEvent.MANUFACTURER_SUSPENDED
    ).body == (
        "Your products are hidden from the storefront and your account is read-only. "
        "Reason: Counterfeits"
    )

    with django_capture_on_commit_callbacks(execute=True):
        manufacturers_decide(users=[manufacturer_a], actor=staff_user, decision="reinstate")

    assert products_public().filter(pk=public_product.pk).exists()
    assert api_client.get("/products/list/").json()["count"] == 1


def test_a_suspended_manufacturer_cannot_be_ordered_from(
    jwt_client, customer, public_product, manufacturer_a, staff_user
):
    manufacturers_decide(
        users=[manufacturer_a], actor=staff_user, decision="suspend", reason="Counterfeits"
    )

    response = jwt_client(customer).post(
        "/api/orders/",
        {
            "products": [{"product": str(public_product.pk), "quantity": 1}],
            "payment_method": "CASH",
        },
        format="json",
    )

    assert response.status_code == 400
    public_product.refresh_from_db()
    assert public_product.inventory == 5


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.SUSPENDED])
def test_the_api_refuses_product_writes_of_a_manufacturer_who_is_not_active(
    jwt_client, manufacturer_a, public_product, status
):
    User.objects.filter(pk=manufacturer_a.pk).update(manufacturer_status=status)
    manufacturer_a.refresh_from_db()
    client = jwt_client(manufacturer_a)
    before = Product.objects.count()

    created = client.post(
        "/api/products/",
        {"name": "New", "price": "10.00", "stock": 3, "category": {"name": "Home"}},
        format="json",
    )
    changed = client.patch(f"/api/products/{public_product.pk}/", {"name": "X"}, format="json")
    deleted = client.delete(f"/api/products/{public_product.pk}/")

    expected = "Your manufacturer account is not active: products cannot be changed."
    for response in (created, changed, deleted):
        assert response.status_code == 403
        assert response.json()["detail"] == expected
    assert Product.objects.count() == before
    assert Product.objects.get(pk=public_product.pk).name == "Kente stole"


def test_an_active_manufacturer_still_writes_through_the_api(jwt_client, manufacturer_a):
    response = jwt_client(manufacturer_a).post(
        "/api/products/",
        {"name": "New", "price": "10.00", "stock": 3, "category": {"name": "Home"}},
        format="json",
    )

    assert response.status_code == 201
