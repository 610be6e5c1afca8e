"""Which cap each path gets (core.body_limit.body_limit_for); the caps at work on a real
server are in backoffice/tests/test_body_limit_live.py."""

import pytest
from django.conf import settings

from core.body_limit import body_limit_for, too_large_message


@pytest.mark.parametrize(
    ("path", "cap"),
    [
        ("/paystack/webhook/", "default"),
        ("/accounts/login", "default"),
        ("/admin/login/", "default"),
        ("/admin/catalog/product/", "default"),  # the list's actions take no files
        ("/admin/imports/productimport/add/", "import"),
        ("/admin/catalog/product/import-products/", "import"),
        ("/admin/catalog/product/add/", "images"),
        ("/admin/catalog/product/42/change/", "images"),
        ("/admin/onboarding/profile/", "images"),
        ("/products/add-product", "images"),
        ("//products/add-product/", "images"),  # read as routing reads it
        ("/products/update-product/abc/", "images"),
        ("/api/products/", "images"),
        ("/api/products/abc", "images"),
        ("/api/products/abc/reviews/", "default"),
        ("/accounts/UserDetails", "images"),
        ("/api/auth/user/", "images"),
    ],
)
def test_each_path_gets_its_cap(path, cap):
    expected = {
        "default": settings.REQUEST_BODY_MAX_BYTES,
        "import": settings.CATALOG_IMPORT_MAX_BYTES + settings.REQUEST_BODY_MAX_BYTES,
        "images": settings.UPLOAD_MAX_BYTES,
    }[cap]
    assert body_limit_for(path) == expected


def test_the_caps_are_settings(settings):
    settings.REQUEST_BODY_MAX_BYTES = 4096
    settings.REQUEST_BODY_LIMITS = [(r"^/big/", 8 * 1024 * 1024)]
    assert body_limit_for("/paystack/webhook/") == 4096
    assert body_limit_for("/big/upload") == 8 * 1024 * 1024
    assert too_large_message(4096) == "The request body is too large: the limit here is 4 KB."
    assert too_large_message(8 * 1024 * 1024).endswith("the limit here is 8 MB.")
