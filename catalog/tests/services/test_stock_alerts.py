"""The low-stock email goes once per crossing of the threshold, after commit, and re-arms."""

import pytest
from django.core import mail

from catalog.models import StockReason
from catalog.services import stock_adjust

pytestmark = pytest.mark.django_db


def _low_stock_mails():
    return [m for m in mail.outbox if m.subject.startswith("Low Stock Alert")]


def test_alert_once_then_rearmed_by_a_restock(
    manufacturer_a, phones, make_product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(manufacturer_a, category=phones, name="Pixel 9", stock=8)
    variation = product.variations.get()
    assert variation.low_stock_threshold == 5
    assert _low_stock_mails() == []

    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(variation=variation, delta=-3, reason=StockReason.ORDER, actor=None)  # 5
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(variation=variation, delta=-2, reason=StockReason.ORDER, actor=None)  # 3

    alerts = _low_stock_mails()
    assert len(alerts) == 1
    assert alerts[0].subject == "Low Stock Alert: Pixel 9"
    assert alerts[0].to == [manufacturer_a.email]
    assert "is low on stock: 5 left" in alerts[0].body

    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(variation=variation, delta=10, reason=StockReason.RESTOCK, actor=None)  # 13
    variation.refresh_from_db()
    assert variation.low_stock_notified is False

    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(variation=variation, delta=-9, reason=StockReason.ORDER, actor=None)  # 4
    assert len(_low_stock_mails()) == 2


def test_no_alert_is_sent_when_the_change_is_rolled_back(
    manufacturer_a, phones, make_product, django_capture_on_commit_callbacks
):
    product = make_product(manufacturer_a, category=phones, stock=8)
    variation = product.variations.get()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stock_adjust(variation=variation, delta=-6, reason=StockReason.ORDER, actor=None)
    # Nothing is sent inside the transaction: only what a commit runs sends mail.
    assert _low_stock_mails() == []
    assert callbacks


def test_a_variation_alert_names_the_variation(
    manufacturer_a, shoes, make_product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_product(
            manufacturer_a,
            category=shoes,
            name="Runner",
            variations=[{"size": "42", "color": "Red", "stock": 2}, {"size": "43", "stock": 20}],
        )

    assert [m.subject for m in _low_stock_mails()] == ["Low Stock Alert: Runner / 42 / Red"]


def test_removing_a_variation_sends_no_low_stock_alert(
    manufacturer_a, shoes, make_product, django_capture_on_commit_callbacks
):
    from catalog.services import variation_delete

    product = make_product(
        manufacturer_a, category=shoes, variations=[{"size": "S", "stock": 9}, {"size": "M", "stock": 9}]
    )

    with django_capture_on_commit_callbacks(execute=True):
        variation_delete(variation=product.variations.get(size="S"), actor=manufacturer_a)

    assert _low_stock_mails() == []
