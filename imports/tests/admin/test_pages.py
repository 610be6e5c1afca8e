"""The import pages in the admin: upload, preview, confirm; a preview says what each row will
change (old → new), never "Ready to import" with errors; the result agrees with its cards;
one status vocabulary; another manufacturer's import is not shown; the upload is capped."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.models import Product
from imports.admin_status import import_status, import_status_badge
from imports.lifecycle import import_confirm, import_start
from imports.models import ImportMode, ImportStatus, ProductImport
from imports.tests.uploads import HEADER, TWO_PRODUCTS, upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:imports_productimport_changelist")

WITH_AN_ERROR = TWO_PRODUCTS + "bad,Bad,,abc,,A > B,true,,,,1,,\n"


def page(client, product_import) -> str:
    url = reverse("admin:imports_productimport_change", args=[product_import.pk])
    return client.get(url).content.decode()


def card(html: str, title: str) -> int:
    """The figure of one of the page's cards."""
    match = re.search(rf">\s*{title}\s*<.*?>\s*(\d+)\s*<", html, re.S)
    assert match, f"no {title} card"
    return int(match.group(1))


def test_admin_upload_preview_confirm(client, manufacturer_a):
    client.force_login(manufacturer_a)

    response = client.post(reverse("admin:imports_productimport_add"), {"file": upload(TWO_PRODUCTS)})
    product_import = ProductImport.objects.get()
    assert response["Location"] == reverse("admin:imports_productimport_change", args=[product_import.pk])
    preview = client.get(response["Location"])
    assert "Confirm import" in preview.content.decode()
    assert Product.objects.count() == 0

    client.post(reverse("admin:imports_productimport_confirm", args=[product_import.pk]), {"mode": "all_or_nothing"})

    assert Product.objects.count() == 2


def test_admin_preview_of_another_manufacturers_import_is_not_shown(client, manufacturer_a, manufacturer_b):
    product_import = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS))
    client.force_login(manufacturer_b)

    page = client.get(reverse("admin:imports_productimport_change", args=[product_import.pk]))
    confirm = client.post(reverse("admin:imports_productimport_confirm", args=[product_import.pk]), {"mode": "all_or_nothing"})

    assert page.status_code == 302 and confirm.status_code == 404
    assert Product.objects.count() == 0
    assert ProductImport.objects.get().status == ImportStatus.PREVIEWED


def test_template_download(client, manufacturer_a):
    client.force_login(manufacturer_a)

    response = client.get(reverse("admin:imports_productimport_template"))

    assert response.content.decode().splitlines()[0] == HEADER.strip()


def test_a_preview_with_errors_is_never_ready_to_import(client, manufacturer_a):
    product_import = import_start(actor=manufacturer_a, file=upload(WITH_AN_ERROR))
    client.force_login(manufacturer_a)

    html = page(client, product_import)

    assert product_import.status == ImportStatus.PREVIEWED
    assert "Ready to import" not in html and "Ready:" not in html
    assert "Errors found" in html
    assert "1 error found (below)" in html and "1 errors" not in html
    assert "Import valid rows only" in html and "Upload a fixed file" in html
    assert "Confirm import" not in html


def test_a_clean_preview_shows_each_rows_new_values_and_is_ready(client, manufacturer_a):
    product_import = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS))
    client.force_login(manufacturer_a)

    html = page(client, product_import)

    assert "Ready to import" in html
    assert "Ready: 3 rows will be written when you confirm" in html
    assert "What will change" in html
    assert "<code>price</code>: 120.00" in html and "<code>stock</code>: 48" in html
    assert Product.objects.count() == 0


def test_a_reimport_preview_shows_old_and_new_values(client, manufacturer_a):
    first = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS))
    import_confirm(product_import=first, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)
    changed = TWO_PRODUCTS.replace("120.00,10", "99.00,10").replace("TEE-L,4", "TEE-L,9")
    second = import_start(actor=manufacturer_a, file=upload(changed))
    client.force_login(manufacturer_a)

    html = page(client, second)

    assert second.changes == [
        {"row": 2, "action": "update", "handle": "tee", "name": "Cotton tee", "variation": "M / Black",
         "fields": [{"field": "price", "old": "120.00", "new": "99.00"}], "changes": "price"},
        {"row": 3, "action": "update", "handle": "tee", "name": "Cotton tee", "variation": "L / Black",
         "fields": [{"field": "stock", "old": "4", "new": "9"}], "changes": "stock"},
    ]
    assert '<span class="martaf-muted">120.00</span> → <strong>99.00</strong>' in html
    assert '<span class="martaf-muted">4</span> → <strong>9</strong>' in html
    assert "Ready: 2 rows will be written" in html


def test_the_result_agrees_with_its_cards(client, manufacturer_a):
    first = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS))
    import_confirm(product_import=first, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)
    changed = TWO_PRODUCTS.replace("120.00,10", "99.00,10") + (
        "cap,Wool cap,,15,,Fashion > Men,true,,,CAP,3,,\n"
    )
    second = import_start(actor=manufacturer_a, file=upload(changed))
    client.force_login(manufacturer_a)

    response = client.post(
        reverse("admin:imports_productimport_confirm", args=[second.pk]), {"mode": "all_or_nothing"}
    )
    html = page(client, second)

    second.refresh_from_db()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Import finished: see what changed below."
    ]
    assert second.message == (
        "2 rows imported: 1 new, 1 updated, 2 unchanged. 1 product created, 1 updated; "
        "1 stock change."
    )
    assert (card(html, "New"), card(html, "Updated"), card(html, "Unchanged")) == (1, 1, 2)
    assert "What changed" in html and "Imported" in html


def test_valid_rows_only_reports_the_skipped_rows_in_the_same_words(client, manufacturer_a):
    product_import = import_start(actor=manufacturer_a, file=upload(WITH_AN_ERROR))

    result = import_confirm(
        product_import=product_import, actor=manufacturer_a, mode=ImportMode.VALID_ROWS_ONLY
    )

    assert result.message.startswith("3 rows imported: 3 new, 0 updated, 0 unchanged, 1 skipped")
    assert str(import_status(result)) == "Imported, rows skipped"


def test_an_all_or_nothing_failure_counts_its_errors_in_words(manufacturer_a):
    text = HEADER + "a,A,,x,,X,true,,,,1,,\nb,B,,y,,X,true,,,,1,,\n"
    product_import = import_start(actor=manufacturer_a, file=upload(text))

    result = import_confirm(
        product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING
    )

    assert result.message.startswith("2 errors found; nothing was imported.")


def test_one_status_vocabulary_in_the_list_and_for_the_report(client, manufacturer_a):
    errors = import_start(actor=manufacturer_a, file=upload(WITH_AN_ERROR))
    ready = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS, name="ok.csv"))
    done = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS, name="done.csv"))
    import_confirm(product_import=done, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)
    done.refresh_from_db()
    client.force_login(manufacturer_a)

    html = client.get(CHANGELIST).content.decode()

    for run, words in [(errors, "Errors found"), (ready, "Ready to import"), (done, "Imported")]:
        assert str(import_status(run)) == words
        badge = import_status_badge(run)
        assert words in badge and "rounded-default" in badge  # unfold's label
        assert badge.strip() in html  # the list draws exactly the helper's badge

    errored_only = client.get(CHANGELIST + "?state=errors").context["cl"].result_list
    assert [i.pk for i in errored_only] == [errors.pk]
    assert ProductImport.objects.count() == 3


def test_an_upload_over_the_size_limit_is_a_form_error_and_nothing_is_stored(
    client, settings, manufacturer_a
):
    settings.CATALOG_IMPORT_MAX_BYTES = 100
    client.force_login(manufacturer_a)

    response = client.post(reverse("admin:imports_productimport_add"), {"file": upload(TWO_PRODUCTS)})

    assert response.status_code == 200
    assert "The file is 0.0 MB; the limit is 0.0 MB (50,000 rows)." in response.content.decode()
    assert ProductImport.objects.count() == 0


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(client, settings, manufacturer_a):
    settings.CATALOG_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(manufacturer_a)
    big = upload(TWO_PRODUCTS + "x" * (2 * 1024 * 1024))

    response = client.post(reverse("admin:imports_productimport_add"), {"file": big})

    assert "the limit is 1.0 MB" in response.content.decode()
    assert ProductImport.objects.count() == 0
