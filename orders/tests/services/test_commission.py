"""The commission rule (``orders.commission``) and its capture on each line at placement."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.services import category_get_or_create_path
from orders.commission import CommissionTerms, commission_book_for
from orders.models import CommissionRule
from orders.services import checkout_place
from orders.tests.helpers import line, place, public_product

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def tree(db):
    """Electronics > Phones > Android."""
    return {
        "electronics": category_get_or_create_path(names=["Electronics"]),
        "phones": category_get_or_create_path(names=["Electronics", "Phones"]),
        "android": category_get_or_create_path(names=["Electronics", "Phones", "Android"]),
    }


def _terms(manufacturer, category):
    book = commission_book_for(manufacturer_ids=[manufacturer.pk])
    return book.terms_for(manufacturer_id=manufacturer.pk, category=category)


def test_without_rules_the_setting_applies(settings, manufacturer_a, tree):
    settings.COMMISSION_DEFAULT_PERCENT = D("12.5")
    assert _terms(manufacturer_a, tree["android"]) == CommissionTerms(D("12.5"), D("0.00"))


def test_the_most_specific_rule_wins(manufacturer_a, manufacturer_b, tree):
    default = CommissionRule.objects.create(percent=D("8"))
    assert _terms(manufacturer_a, tree["android"]).rule_id == default.pk
    electronics = CommissionRule.objects.create(category=tree["electronics"], percent=D("7"))
    assert _terms(manufacturer_a, tree["android"]).rule_id == electronics.pk
    phones = CommissionRule.objects.create(category=tree["phones"], percent=D("6"))
    assert _terms(manufacturer_a, tree["android"]).rule_id == phones.pk
    # The manufacturer's own rule beats any category rule for anyone ...
    own = CommissionRule.objects.create(manufacturer=manufacturer_a, percent=D("5"))
    assert _terms(manufacturer_a, tree["android"]).rule_id == own.pk
    # ... and their rule for a category of the product's ancestry beats their own rule.
    own_electronics = CommissionRule.objects.create(
        manufacturer=manufacturer_a, category=tree["electronics"], percent=D("4")
    )
    assert _terms(manufacturer_a, tree["android"]).rule_id == own_electronics.pk
    own_android = CommissionRule.objects.create(
        manufacturer=manufacturer_a, category=tree["android"], percent=D("3"), flat=D("50")
    )
    assert _terms(manufacturer_a, tree["android"]) == CommissionTerms(
        D("3.00"), D("50.00"), own_android.pk
    )
    # A sibling branch and another manufacturer are untouched by them.
    assert _terms(manufacturer_a, tree["phones"]).rule_id == own_electronics.pk
    assert _terms(manufacturer_b, tree["android"]).rule_id == phones.pk
    assert _terms(manufacturer_b, tree["electronics"]).rule_id == electronics.pk
    other = category_get_or_create_path(names=["Garden"])
    assert _terms(manufacturer_b, other).rule_id == default.pk
    assert _terms(manufacturer_a, other).rule_id == own.pk


def test_commission_rounds_half_up_and_adds_the_flat_amount():
    terms = CommissionTerms(D("7.5"), D("20.00"))
    assert terms.on(D("0.10")) == D("20.01")  # 0.0075 -> 0.01
    assert terms.on(D("99.90")) == D("27.49")  # 7.4925 -> 7.49
    assert terms.on(D("1000.00")) == D("95.00")


def test_placement_captures_each_lines_terms(customer, manufacturer_a, staff_user, tree):
    CommissionRule.objects.create(category=tree["android"], percent=D("15"), flat=D("2"))
    android = public_product(
        manufacturer_a, approver=staff_user, name="Pixel", price="250.00", category=tree["android"]
    )
    garden = category_get_or_create_path(names=["Garden"])
    rake = public_product(
        manufacturer_a, approver=staff_user, name="Rake", price="33.33", discount_percent="10",
        category=garden,
    )
    order = place(customer, line(android, 2), line(rake, 3))
    pixel, rakes = order.items.order_by("product_name")
    assert (pixel.commission_percent, pixel.commission_flat, pixel.commission) == (
        D("15.00"), D("2.00"), D("77.00")  # 500 x 15% + 2
    )
    # 33.33 - 10% = 30.00 (halves up) x 3 = 90.00 at the default 10%; never on shipping.
    assert (rakes.line_total, rakes.commission_percent, rakes.commission) == (
        D("90.00"), D("10.00"), D("9.00")
    )
    # A rule changed later never rewrites a captured line.
    CommissionRule.objects.filter(category=tree["android"]).update(percent=D("50"))
    pixel.refresh_from_db()
    assert pixel.commission == D("77.00")


def test_checkout_reads_the_rules_once_whatever_its_lines(
    customer, manufacturer_a, manufacturer_b, staff_user, buyer_address, tree
):
    from shopping.services import cart_item_add

    CommissionRule.objects.create(manufacturer=manufacturer_b, percent=D("20"))
    for index in range(6):
        maker = manufacturer_a if index % 2 else manufacturer_b
        product = public_product(maker, approver=staff_user, name=f"P{index}", price="10.00")
        cart_item_add(user=customer, product_id=product.pk, quantity=1)
    with CaptureQueriesContext(connection) as queries:
        placed = checkout_place(buyer=customer)
    rule_reads = [q for q in queries if "orders_commissionrule" in q["sql"]]
    assert len(rule_reads) == 1
    assert len(placed.orders) == 2
    commissions = {
        order.items.first().manufacturer_id: sorted(order.items.values_list("commission", flat=True))
        for order in placed.orders
    }
    assert commissions == {manufacturer_a.pk: [D("1.00")] * 3, manufacturer_b.pk: [D("2.00")] * 3}
