import pytest
from django.core import mail

from catalog.models import ApprovalStatus, Product, ProductStatusChange
from catalog.selectors import products_public
from catalog.services import (
    CatalogError,
    product_approve,
    product_reject,
    product_submit,
    product_update,
    products_moderate,
)
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_manufacturer_product_starts_as_a_draft_and_is_not_public(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones)

    assert product.approval_status == ApprovalStatus.DRAFT
    assert list(products_public()) == []


def test_submit_approve_makes_it_public_and_tells_people(
    manufacturer_a, staff_user, phones, make_product, django_capture_on_commit_callbacks
):
    product = make_product(manufacturer_a, category=phones, name="Pixel 9")

    with django_capture_on_commit_callbacks(execute=True):
        product_submit(product=product, actor=manufacturer_a)
    assert Notification.objects.get(user=staff_user).title == "Product awaiting approval: Pixel 9"

    with django_capture_on_commit_callbacks(execute=True):
        product_approve(product=product, actor=staff_user)

    assert list(products_public()) == [product]
    assert Notification.objects.get(user=manufacturer_a).event == "product_approved"
    assert any(m.to == [manufacturer_a.email] and "approved" in m.subject for m in mail.outbox)
    assert list(
        ProductStatusChange.objects.order_by("id").values_list("from_status", "to_status", "actor")
    ) == [("draft", "pending", manufacturer_a.pk), ("pending", "approved", staff_user.pk)]


def test_manufacturer_cannot_approve_and_nothing_changes(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, submit=True)

    with pytest.raises(CatalogError, match="Only staff"):
        product_approve(product=product, actor=manufacturer_a)

    assert Product.objects.get(pk=product.pk).approval_status == ApprovalStatus.PENDING


def test_reject_needs_a_reason_and_records_it(manufacturer_a, staff_user, phones, make_product):
    product = make_product(manufacturer_a, category=phones, submit=True)

    with pytest.raises(CatalogError, match="Say why"):
        product_reject(product=product, actor=staff_user, reason="  ")
    assert Product.objects.get(pk=product.pk).approval_status == ApprovalStatus.PENDING

    product_reject(product=product, actor=staff_user, reason="Photos are blurry")

    product.refresh_from_db()
    assert (product.approval_status, product.rejection_reason) == ("rejected", "Photos are blurry")
    assert Notification.objects.get(user=manufacturer_a).body == "Reason: Photos are blurry"


def test_invalid_transition_is_refused(manufacturer_a, staff_user, phones, make_product):
    product = make_product(manufacturer_a, category=phones)
    product_approve(product=product, actor=staff_user)

    with pytest.raises(CatalogError, match="is approved and cannot become approved"):
        product_approve(product=product, actor=staff_user)
    assert ProductStatusChange.objects.filter(product=product).count() == 1


def test_staff_created_product_can_be_approved_directly(manufacturer_a, staff_user, phones):
    from catalog.services import product_create

    product = product_create(
        manufacturer=manufacturer_a,
        actor=staff_user,
        name="Staff pick",
        price="10",
        category=phones,
        stock=3,
        approve=True,
    )

    assert product.approval_status == ApprovalStatus.APPROVED


def test_bulk_moderation_skips_what_cannot_move(manufacturer_a, staff_user, phones, make_product):
    pending = make_product(manufacturer_a, category=phones, name="A", submit=True)
    approved = make_product(manufacturer_a, category=phones, name="B")
    product_approve(product=approved, actor=staff_user)

    done, skipped = products_moderate(
        products=Product.objects.order_by("name"), actor=staff_user, approve=True
    )

    assert [p.name for p in done] == ["A"]
    assert [(p.name, reason) for p, reason in skipped] == [
        ("B", "“B” is approved and cannot become approved.")
    ]
    assert Product.objects.get(pk=pending.pk).approval_status == ApprovalStatus.APPROVED


@pytest.mark.parametrize("setting, expected", [(False, "approved"), (True, "pending")])
def test_manufacturer_edit_of_approved_product_follows_the_setting(
    settings, manufacturer_a, staff_user, phones, make_product, setting, expected
):
    settings.CATALOG_REAPPROVE_ON_EDIT = setting
    product = make_product(manufacturer_a, category=phones)
    product_approve(product=product, actor=staff_user)

    product_update(product=product, actor=manufacturer_a, price=product.price + 1)

    assert Product.objects.get(pk=product.pk).approval_status == expected


def test_stock_only_edit_never_sends_it_back(settings, manufacturer_a, staff_user, phones, make_product):
    settings.CATALOG_REAPPROVE_ON_EDIT = True
    product = make_product(manufacturer_a, category=phones)
    product_approve(product=product, actor=staff_user)

    product_update(product=product, actor=manufacturer_a, is_active=False)

    assert Product.objects.get(pk=product.pk).approval_status == ApprovalStatus.APPROVED


def test_an_inactive_department_hides_the_products_below_it(
    manufacturer_a, staff_user, phones, make_product
):
    from catalog.models import Category

    product = make_product(manufacturer_a, category=phones)  # Electronics > Phones > Android
    product_approve(product=product, actor=staff_user)
    assert list(products_public()) == [product]

    Category.objects.filter(name="Electronics").update(is_active=False)

    assert list(products_public()) == []
