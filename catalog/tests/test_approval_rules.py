"""The approval rules of catalog/approval.py, asked directly (every channel uses them)."""

from decimal import Decimal

import pytest

from catalog.approval import (
    APPROVAL_MOVES,
    ProductChannel,
    approval_needs_reapproval,
    approval_notify_staff,
    approval_record_many,
    approval_status_for_new,
    approval_transition,
    product_owner_for_new,
)
from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import ApprovalStatus, Product, ProductStatusChange
from catalog.services import ProductChannel as ServicesProductChannel
from catalog.services import product_add, product_create, products_moderate
from catalog.services.product_edit import CategoryRef
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who, channel, expected",
    [
        ("staff_user", ProductChannel.ADMIN, ApprovalStatus.APPROVED),
        ("staff_user", ProductChannel.API, ApprovalStatus.APPROVED),
        ("staff_user", ProductChannel.IMPORT, ApprovalStatus.APPROVED),
        ("manufacturer_a", ProductChannel.ADMIN, ApprovalStatus.DRAFT),
        ("manufacturer_a", ProductChannel.API, ApprovalStatus.PENDING),
        ("manufacturer_a", ProductChannel.IMPORT, ApprovalStatus.PENDING),
    ],
)
def test_starting_status_per_actor_and_channel(request, who, channel, expected):
    actor = request.getfixturevalue(who)
    assert approval_status_for_new(actor=actor, channel=channel) == expected
    assert ServicesProductChannel is ProductChannel


def test_staff_product_from_the_admin_channel_starts_approved(staff_user, manufacturer_a, phones):
    product = product_create(
        actor=staff_user, manufacturer=manufacturer_a, name="Desk", price="5", category=phones,
        stock=1,
    )
    assert product.approval_status == ApprovalStatus.APPROVED
    assert list(ProductStatusChange.objects.values_list("from_status", "to_status")) == [
        ("draft", "approved")
    ]


def test_manufacturer_product_from_the_api_waits_and_staff_are_told(
    manufacturer_a, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = product_add(
            manufacturer=None,
            actor=manufacturer_a,
            category=CategoryRef(names=("Home",)),
            name="Lamp",
            price=Decimal("12"),
            stock=2,
        )
    assert (product.manufacturer, product.approval_status) == (manufacturer_a, "pending")
    assert Notification.objects.filter(user=staff_user, event="product_submitted").count() == 1


def test_owner_of_a_new_product(manufacturer_a, manufacturer_b, staff_user, customer):
    assert product_owner_for_new(actor=manufacturer_a) == manufacturer_a
    assert product_owner_for_new(actor=manufacturer_a, manufacturer=manufacturer_b) == (
        manufacturer_a
    )
    assert product_owner_for_new(actor=staff_user, manufacturer=manufacturer_b) == manufacturer_b
    for actor, named in [(staff_user, None), (staff_user, customer), (customer, None)]:
        with pytest.raises(CatalogError) as excinfo:
            product_owner_for_new(actor=actor, manufacturer=named)
        assert (excinfo.value.code, excinfo.value.field) == (
            CatalogErrorCode.NOT_A_MANUFACTURER,
            "manufacturer",
        )


@pytest.mark.parametrize(
    "setting, who, status, fields, expected",
    [
        (True, "manufacturer_a", "approved", {"price"}, True),
        (True, "manufacturer_a", "approved", {"images"}, True),
        (True, "manufacturer_a", "approved", {"is_active", "category"}, False),
        (True, "manufacturer_a", "pending", {"price"}, False),
        (True, "staff_user", "approved", {"price"}, False),
        (False, "manufacturer_a", "approved", {"price"}, False),
    ],
)
def test_needs_reapproval(settings, request, setting, who, status, fields, expected):
    settings.CATALOG_REAPPROVE_ON_EDIT = setting
    actor = request.getfixturevalue(who)
    assert (
        approval_needs_reapproval(actor=actor, status=status, changed_fields=fields) is expected
    )


def test_transition_is_conditional_and_audited(manufacturer_a, staff_user, phones, make_product):
    product = make_product(manufacturer_a, category=phones)

    with pytest.raises(CatalogError) as excinfo:
        approval_transition(product=product, actor=staff_user, to=ApprovalStatus.REJECTED)
    assert excinfo.value.code == CatalogErrorCode.INVALID_TRANSITION
    assert not ProductStatusChange.objects.exists()

    approval_transition(product=product, actor=staff_user, to=ApprovalStatus.PENDING, reason="r")
    assert Product.objects.get(pk=product.pk).approval_status == ApprovalStatus.PENDING
    assert list(ProductStatusChange.objects.values_list("from_status", "to_status", "reason")) == [
        ("draft", "pending", "r")
    ]


# The moves as they are today, written out: APPROVAL_MOVES must stay exactly these.
APPROVAL_MOVES_TODAY = {
    ("draft", "pending"),
    ("draft", "approved"),
    ("pending", "approved"),
    ("pending", "rejected"),
    ("approved", "pending"),
    ("approved", "rejected"),
    ("rejected", "pending"),
    ("rejected", "approved"),
}


def test_the_approval_moves_are_exactly_todays():
    statuses = list(ApprovalStatus)
    allowed = {(s, t) for s in statuses for t in statuses if APPROVAL_MOVES.allows(s, t)}
    assert allowed == APPROVAL_MOVES_TODAY


@pytest.mark.parametrize("start", list(ApprovalStatus))
@pytest.mark.parametrize(
    "to", [ApprovalStatus.PENDING, ApprovalStatus.APPROVED, ApprovalStatus.REJECTED]
)
def test_a_transition_moves_only_along_the_table(
    manufacturer_a, staff_user, phones, make_product, start, to
):
    product = make_product(manufacturer_a, category=phones)
    Product.objects.filter(pk=product.pk).update(approval_status=start)
    product.refresh_from_db()

    if (start, to) in APPROVAL_MOVES_TODAY:
        approval_transition(product=product, actor=staff_user, to=to, reason="r")
        assert list(ProductStatusChange.objects.values_list("from_status", "to_status")) == [
            (start, to)
        ]
    else:
        with pytest.raises(CatalogError) as refused:
            approval_transition(product=product, actor=staff_user, to=to, reason="r")
        assert refused.value.code == CatalogErrorCode.INVALID_TRANSITION
        assert not ProductStatusChange.objects.exists()
    expected = to if (start, to) in APPROVAL_MOVES_TODAY else start
    assert Product.objects.get(pk=product.pk).approval_status == expected


def test_bulk_transitions_moderate_and_record_many(
    manufacturer_a, staff_user, phones, make_product
):
    first = make_product(manufacturer_a, category=phones, name="A", submit=True)
    second = make_product(manufacturer_a, category=phones, name="B")

    done, skipped = products_moderate(
        products=Product.objects.order_by("name"), actor=staff_user, approve=False, reason="No"
    )
    assert [p.name for p in done] == ["A"] and [p.name for p, _ in skipped] == ["B"]

    written = approval_record_many(
        product_ids=[first.pk, second.pk],
        from_status=ApprovalStatus.APPROVED,
        to_status=ApprovalStatus.PENDING,
        actor=manufacturer_a,
        reason="Edited by import",
    )
    assert written == 2
    assert ProductStatusChange.objects.filter(reason="Edited by import").count() == 2


def test_staff_hear_once_per_submission_one_product_or_many(
    manufacturer_a, staff_user, make_user, phones, make_product
):
    make_user("staff2@martaf.test", is_staff=True)
    make_user("gone@martaf.test", is_staff=True, is_active=False)
    products = [make_product(manufacturer_a, category=phones, name=n) for n in "ABC"]

    approval_notify_staff(products=products[:1], manufacturer=manufacturer_a)
    approval_notify_staff(products=products, manufacturer=manufacturer_a)
    approval_notify_staff(products=[], manufacturer=manufacturer_a)

    titles = sorted(
        Notification.objects.filter(user=staff_user).values_list("title", flat=True)
    )
    assert len(titles) == 2
    assert any("A" in t for t in titles) and any("3 products" in t for t in titles)
    assert Notification.objects.filter(event="product_submitted").count() == 4  # 2 active staff
