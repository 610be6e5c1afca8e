"""An import at scale: its queries do not grow with the category paths it creates, the tree it
grows stays valid, and one low-stock summary goes to each manufacturer per import whatever
the chunks the writer uses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Category, Product, StockMovement, Variation
from imports import write
from imports.models import ImportStatus
from imports.tests.uploads import HEADER, run_import
from notifications.models import Notification, OutboundMessage

pytestmark = pytest.mark.django_db


def _rows(products: int, *, leaves: int, stock: int = 30, owner: str = "", tag: str = "") -> str:
    """One row per product, over ``leaves`` 3-level paths (leaves / 10 rows, / 100 zones)."""
    return "".join(
        f"p{n},Product {tag}{n},,9.50,,{tag}Zone {n % leaves // 100} > Row {n % leaves // 10} > "
        f"Bay {n % leaves},true,M,Blue,SKU-{n},{stock},5,,{owner}\n"
        for n in range(products)
    )


def _import_queries(manufacturer, *, leaves: int) -> int:
    rows = _rows(1500, leaves=leaves, tag=f"{leaves} ")  # new names, new paths
    with CaptureQueriesContext(connection) as queries:
        result = run_import(manufacturer, HEADER + rows)
    assert result.status == ImportStatus.COMPLETED, result.message
    return len(queries)


def test_an_import_creating_1500_paths_makes_a_bounded_number_of_queries(manufacturer_a):
    with CaptureQueriesContext(connection) as queries:
        result = run_import(manufacturer_a, HEADER + _rows(1500, leaves=1500))

    assert result.status == ImportStatus.COMPLETED, result.message
    # 1,500 paths, 1,665 new nodes. Reading and checking (upload, progress, plan): 16;
    # categories: 3 levels read, slugs, 12 inserts (SQLite: 999 parameters a statement);
    # products, audit rows, variations, read-back, ledger, inventory: 9; notifications and
    # the import record: the rest; the run's lease (claim, renew, the conditional finish): 3;
    # whether its author and manufacturer may still write (read again before the write): 1.
    # PostgreSQL makes fewer (COPY is not a logged query).
    assert len(queries) <= 60, len(queries)
    problems = Category.objects.find_problems()
    assert all(not ids for ids in problems), problems
    assert Category.objects.filter(depth=3).count() == 1500
    assert Category.objects.count() == 15 + 150 + 1500
    assert Product.objects.filter(manufacturer=manufacturer_a).count() == 1500
    assert StockMovement.objects.filter(manufacturer=manufacturer_a).count() == 1500
    assert sorted(set(Product.objects.values_list("inventory", flat=True))) == [30]


def test_the_queries_do_not_grow_with_the_paths_created(manufacturer_a, manufacturer_b):
    few = _import_queries(manufacturer_a, leaves=15)
    many = _import_queries(manufacturer_b, leaves=1500)

    # Only the category inserts grow (one statement per 142 nodes on SQLite: 999 parameters).
    assert many - few <= 11, (few, many)


def test_one_low_stock_summary_per_manufacturer_per_import(
    monkeypatch, django_capture_on_commit_callbacks, staff_user, manufacturer_a, manufacturer_b
):
    monkeypatch.setattr(write, "VARIATION_CHUNK", 3)  # the writer's chunks: 5 for 15 products
    a_rows = _rows(8, leaves=4, stock=2, owner=manufacturer_a.email)
    b_rows = "".join(f"q{n},Other {n},,9.50,,Zone 0 > Row 0 > Bay 0,true,M,Blue,Q-{n},1,5,,"
                     f"{manufacturer_b.email}\n" for n in range(7))

    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(staff_user, HEADER.rstrip("\n") + ",manufacturer\n" + a_rows + b_rows)

    assert result.status == ImportStatus.COMPLETED, result.message
    low = Notification.objects.filter(event="low_stock").order_by("user__email")
    assert [(n.user.email, n.title) for n in low] == [
        (manufacturer_a.email, "Low stock: 8 variations"),
        (manufacturer_b.email, "Low stock: 7 variations"),
    ]
    assert sorted(OutboundMessage.objects.filter(event="low_stock").values_list(
        "recipient", "subject")) == [
        (manufacturer_a.email, "Low stock: 8 variations"),
        (manufacturer_b.email, "Low stock: 7 variations"),
    ]
    assert Variation.objects.filter(low_stock_notified=True).count() == 15


def test_the_command_imports_without_the_debug_query_log(
    tmp_path, monkeypatch, settings, manufacturer_a
):
    from django.core.management import call_command

    from imports.management.commands import import_products

    settings.DEBUG = True  # manage.py's default on a developer's machine
    seen = []
    real_apply = import_products.import_apply

    def apply_and_look(**kwargs):
        seen.append(connection.queries_logged)
        return real_apply(**kwargs)

    monkeypatch.setattr(import_products, "import_apply", apply_and_look)
    path = tmp_path / "catalogue.csv"
    path.write_text(HEADER + _rows(3, leaves=2), encoding="utf-8")

    call_command("import_products", str(path), manufacturer=manufacturer_a.email)

    assert seen == [False]
    assert connection.queries_logged  # DEBUG is back as it was
    assert Product.objects.filter(manufacturer=manufacturer_a).count() == 3


def test_new_variations_never_take_the_id_of_a_deleted_one(manufacturer_a):
    run_import(manufacturer_a, HEADER + _rows(3, leaves=1))
    deleted = Variation.objects.order_by("-pk").first().pk
    Variation.objects.filter(pk=deleted).delete()

    run_import(manufacturer_a, HEADER + "".join(
        f"n{n},New {n},,5,,A > B,true,M,Blue,N-{n},3,5,,\n" for n in range(2)))

    new = Variation.objects.filter(sku__startswith="N-").order_by("pk")
    assert min(v.pk for v in new) > deleted
    assert sorted(StockMovement.objects.filter(variation__in=new).values_list(
        "variation__sku", "delta", "stock_after")) == [("N-0", 3, 3), ("N-1", 3, 3)]
