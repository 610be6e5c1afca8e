"""An import file uploaded in the admin goes to the bucket (a real S3 API server,
``core/tests/s3_server.py``), stays private there, and the worker's check reads it back through
the storage."""

from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.urls import reverse

from imports.models import ImportStatus, ProductImport
from imports.tasks import product_import_check_task
from imports.tests.uploads import TWO_PRODUCTS, upload

pytestmark = pytest.mark.django_db


def test_an_admin_upload_is_stored_in_the_bucket_and_checked_by_the_worker_from_there(
    s3_media, client, manufacturer_a, settings, django_capture_on_commit_callbacks
):
    settings.CATALOG_IMPORT_BACKGROUND_ROWS = 0  # any file is checked by the worker
    client.force_login(manufacturer_a)

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("admin:imports_productimport_add"), {"file": upload(TWO_PRODUCTS)}
        )

    assert response.status_code == 302
    product_import = ProductImport.objects.get()
    assert product_import.status == ImportStatus.VALIDATING
    assert len(queued) == 1  # the check, queued for the worker
    name = product_import.file.name
    assert s3_media.keys("imports/") == [name]
    assert s3_media.body(name) == TWO_PRODUCTS.encode()
    assert not (settings.MEDIA_ROOT / "imports").exists()

    # The worker: only the import's id, the file read through the storage.
    assert product_import_check_task(product_import.pk) == ImportStatus.PREVIEWED
    product_import.refresh_from_db()
    assert (product_import.rows_total, product_import.errors) == (3, [])

    # Nobody but the site reads it: the bucket's public policy covers images only.
    with pytest.raises(HTTPError) as refused:
        urlopen(f"{s3_media.server.endpoint_url}/{s3_media.name}/{name}", timeout=10)
    assert refused.value.code == 403
