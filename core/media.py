"""Where uploaded files live: the local disk (``MEDIA_ROOT``) or an S3-compatible bucket.

Every file the apps store (product images and their renditions, import files, profile
pictures, generated documents) goes through Django's default storage, never a local path, so
the same code runs on either. The settings (``backoffice/settings/storage.py``) pick the
storage from the conventional AWS variables; the tests build the same storage pointing at a
real S3 server (``core/tests/s3_server.py``).
"""

import posixpath
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http.request import split_domain_port, validate_host
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty

FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"
S3_STORAGE = "storages.backends.s3.S3Storage"

# The folders (``upload_to``) whose files the storefront links for anyone: product images and
# their renditions, profile pictures. Import files and generated documents stay private: this
# site never serves them at MEDIA_URL, and a bucket's policy should not make them public
# (docs/production.md#media).
MEDIA_PUBLIC_PREFIXES = ("products/", "profiles/")

# A stored name is never overwritten (a second "photo.jpg" gets a suffix), but a deleted file's
# name may be given again later: a day in browsers and a CDN, then a cheap revalidation (ETag,
# Last-Modified).
MEDIA_CACHE_CONTROL = "public, max-age=86400"


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
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
    }
    return {"BACKEND": S3_STORAGE, "OPTIONS": options}


def media_name_checked(name: str) -> str | None:
    """``name`` if it is a plain stored name ("products/original/a.jpg"), else None: nothing
    absolute, no "." or ".." segment, no backslash, no empty segment (no directory)."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return None
    if any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return name if posixpath.normpath(name) == name else None


def media_is_public(name: str) -> bool:
    return name.startswith(MEDIA_PUBLIC_PREFIXES)


def media_url_absolute(name: str, *, origin: str = "") -> str:
    """The stored file's URL for anyone: the storage's own when it is absolute (a bucket, a
    CDN), else ``origin`` ("https://host"; default ``BACKOFFICE_URL``) + MEDIA_URL + name."""
    url = default_storage.url(name)
    if url.startswith("/") and not url.startswith("//"):
        return (origin or settings.BACKOFFICE_URL).rstrip("/") + url
    return url


def _storage_url_prefix() -> str:
    """What the storage's absolute URLs start with ("https://cdn.example.com/"), or "" when its
    URLs are site-relative (MEDIA_URL on this site)."""
    probe = "probe.jpg"
    url = default_storage.url(probe)
    if urlsplit(url).scheme and url.endswith(probe):
        return url[: -len(probe)]
    return ""


def media_name_of_url(url: str) -> str | None:
    """The stored name an address points at when it is one of this marketplace's own media URLs,
    else None. Ours: MEDIA_URL on this site (``BACKOFFICE_URL``'s host or any host this site
    answers to, ``ALLOWED_HOSTS``), or the storage's own absolute URL (the bucket, the CDN).

    Recognising an address does not prove the file exists: the caller checks with the storage.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.query or parts.fragment:
        return None
    prefix = _storage_url_prefix()
    if prefix and url.startswith(prefix):
        return media_name_checked(unquote(url[len(prefix):]))
    host, _port = split_domain_port(parts.netloc)
    ours = urlsplit(settings.BACKOFFICE_URL).netloc
    allowed = [*settings.ALLOWED_HOSTS, split_domain_port(ours)[0]]
    if not host or not validate_host(host, allowed):
        return None
    if not parts.path.startswith(settings.MEDIA_URL):
        return None
    return media_name_checked(unquote(parts.path[len(settings.MEDIA_URL):]))


def storage_url_function(storage) -> Callable[[str], str]:
    """``storage.url``, for a page of many files. On the local disk (``FileSystemStorage``
    itself) a name's URL is the base URL and the quoted name joined, as ``storage.url`` does
    with ``urljoin``, without parsing both for each name; a name ``urljoin`` would change (a
    ``.`` or ``..`` segment, a doubled slash) still goes through it. Other storages (a bucket)
    answer as they do."""
    if isinstance(storage, LazyObject):  # default_storage
        if storage._wrapped is empty:
            storage._setup()
        storage = storage._wrapped
    base = storage.base_url if type(storage) is FileSystemStorage else None
    if not base or not base.endswith("/"):
        return storage.url

    def url(name: str) -> str:
        quoted = filepath_to_uri(name)
        if quoted is None:
            return storage.url(name)
        quoted = quoted.lstrip("/")
        if "//" in quoted or "/." in "/" + quoted:
            return storage.url(name)
        return base + quoted

    return url
