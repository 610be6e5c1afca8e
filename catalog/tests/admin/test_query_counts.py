"""Every catalogue changelist runs the same number of queries with few and many rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.services import category_get_or_create_path
from imports.lifecycle import import_start

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:catalog_category_changelist",
    "admin:catalog_variation_changelist",
    "admin:catalog_stockmovement_changelist",
    "admin:imports_productimport_changelist",
]
CSV = "handle,name,price,category,size,stock\nh{n},Item {n},5,A > B,S,3\n"


def _add_rows(manufacturer, make_product, start: int, count: int) -> None:
    for n in range(start, start + count):
        category = category_get_or_create_path(names=["Dept", f"Aisle {n}"])
        make_product(manufacturer, category=category, name=f"P{n}",
                     variations=[{"size": "S", "stock": 3}, {"size": "M", "stock": 9}])
        import_start(actor=manufacturer, file=SimpleUploadedFile(
            f"f{n}.csv", CSV.format(n=n).encode(), content_type="text/csv"))


# The category tree is staff-only (a manufacturer gets 403 there: test_admin_scoping).
CASES = [
    (who, url_name)
    for url_name in CHANGELISTS
    for who in ("manufacturer_a", "staff_user")
    if not (who == "manufacturer_a" and url_name == "admin:catalog_category_changelist")
]


@pytest.mark.parametrize("who, url_name", CASES)
def test_changelist_query_count_is_flat(client, request, manufacturer_a, make_product, url_name, who):
    client.force_login(request.getfixturevalue(who))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured)

    _add_rows(manufacturer_a, make_product, 0, 2)
    few = queries()
    _add_rows(manufacturer_a, make_product, 2, 20)
    assert queries() == few
