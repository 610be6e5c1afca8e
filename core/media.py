"""Where uploaded files live: the local disk (``MEDIA_ROOT``) or an S3-compatible bucket.

Every file the apps store (product images and their renditions, import files, profile
pictures, generated documents) goes through Django's default storage, never a local path, so
the same code runs on either. The settings (``backoffice/settings/storage.py``) pick the
storage from the conventional AWS variables; the tests build the same storage pointing at a
real S3 server (``core/tests/s3_server.py``).
"""

from urllib.parse import urlsplit

FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"
S3_STORAGE = "storages.backends.s3.S3Storage"

# Stored names never repeat (``file_overwrite`` off: a second "photo.jpg" gets a suffix), so a
# stored file never changes under its URL: browsers and a CDN may keep it a year.
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
    custom_domain: str = "",
) -> dict:
    """The ``STORAGES["default"]`` entry for an S3-compatible bucket (AWS, MinIO, R2, ...).

    URLs are plain (no signed query string): the storefront and the exports link images for
    anyone, and a stable URL is what a CDN caches. A custom domain (a CDN in front of the
    bucket) may be given as ``cdn.example.com`` or ``https://cdn.example.com``. Empty keys
    leave the credentials to boto3's own chain (an instance role, ``~/.aws``).
    """
    domain, protocol = custom_domain.strip().rstrip("/"), "https:"
    if "://" in domain:
        parts = urlsplit(domain)
        domain, protocol = parts.netloc + parts.path, f"{parts.scheme}:"
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "custom_domain": domain or None,
        "url_protocol": protocol,
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": IMMUTABLE_CACHE_CONTROL},
    }
    return {"BACKEND": S3_STORAGE, "OPTIONS": options}
