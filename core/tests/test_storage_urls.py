"""``core.media.storage_url_function`` gives what ``storage.url`` gives, name for name, and
``core.api_values.timestamps`` what DRF's ``DateTimeField`` renders."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone as django_timezone
from rest_framework import serializers

from core.api_values import timestamps
from core.media import storage_url_function

NAMES = [
    "products/original/photo.jpg",
    "products/medium/a b (1).jpg",
    "products/thumbnail/Café ümlaut.webp",
    "products/x%20y.jpg",
    "products/what?.jpg",
    "products/#hash.jpg",
    "products/colon:name.jpg",
    "/leading/slash.jpg",
    "products/./dot.jpg",
    "products/../up.jpg",
    "products//double.jpg",
    ".hidden/file.jpg",
    "products/.hidden.jpg",
    "",
]


@pytest.mark.parametrize("base_url", ["/media/", "https://cdn.example.com/m/", "/media"])
def test_file_system_urls_equal_the_storage_s(base_url, tmp_path):
    storage = FileSystemStorage(location=tmp_path, base_url=base_url)
    url = storage_url_function(storage)
    assert [url(name) for name in NAMES] == [storage.url(name) for name in NAMES]


def test_the_default_storage_is_unwrapped_and_other_storages_answer_themselves(tmp_path):
    url = storage_url_function(default_storage)
    assert [url(name) for name in NAMES] == [default_storage.url(name) for name in NAMES]

    class Signed(FileSystemStorage):
        def url(self, name):
            return super().url(name) + "?signature=1"

    signed = Signed(location=tmp_path, base_url="/media/")
    assert storage_url_function(signed) == signed.url


@pytest.mark.parametrize("zone", ["UTC", "Africa/Accra", "Africa/Lagos", "America/New_York"])
def test_timestamps_render_as_drf_does(zone, settings):
    settings.TIME_ZONE = zone
    drf = serializers.DateTimeField().to_representation
    values = [
        datetime(2026, 12, 7, 11, 27, 15, 274059, tzinfo=UTC),
        datetime(2026, 6, 1, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 30, tzinfo=timezone(timedelta(hours=1))),
        datetime(2026, 12, 7, 11, 27, 15),  # naive: DRF's own handling
        None,
        "2026-12-07T11:27:15Z",
    ]
    with django_timezone.override(zone):
        fast = timestamps(drf)
        assert [fast(value) for value in values] == [drf(value) for value in values]
