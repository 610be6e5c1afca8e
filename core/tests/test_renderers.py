"""The API's JSON renderer writes what DRF's own writes, byte for byte."""

import datetime
import decimal
import json
import uuid
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from catalog.tests.sellable import public_product
from core.renderers import JSONRenderer

LAGOS = zoneinfo.ZoneInfo("Africa/Lagos")

# Every kind of value the API's answers hold, and the awkward ones.
VALUES = {
    "text": ["", "plain", "Café ñ 漢字 😀", 'quote " backslash \\ slash /', "\u2028\u2029 x"],
    "controls": "".join(chr(code) for code in range(0x20)) + "\x7f",
    "integers": [0, -1, 2**31, 2**63 - 1, -(2**63)],
    "floats": [0.0, -0.0, 1.5, 0.1, 0.01, 4.333333333333333, 1e16, 123456789.123, 1e300],
    "booleans": [True, False, None],
    "decimals": [decimal.Decimal("0.00"), decimal.Decimal("12500.50"), decimal.Decimal("-3")],
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "datetimes": [
        datetime.datetime(2026, 12, 7, 13, 35, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 7, 13, 35, 1, 123456, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 7, 13, 35, 1, 999, tzinfo=LAGOS),
        datetime.datetime(2026, 12, 7, 13, 35),
    ],
    "date": datetime.date(2026, 2, 28),
    "times": [datetime.time(9, 5), datetime.time(9, 5, 1, 250000)],
    "duration": datetime.timedelta(days=1, seconds=3.5),
    "lazy": gettext_lazy("Not found."),
    "nested": {"a": [{"b": ({"c": []},)}], "empty": {}},
    "return types": [ReturnDict({"x": 1}, serializer=None), ReturnList([1, 2], serializer=None)],
}


def _both(data, media_type=None, context=None):
    ours = JSONRenderer().render(data, media_type, context)
    drf = renderers.JSONRenderer().render(data, media_type, context)
    return ours, drf


@pytest.mark.parametrize("name", sorted(VALUES))
def test_each_kind_of_value_is_written_as_drf_writes_it(name):
    ours, drf = _both({name: VALUES[name]})
    assert ours == drf


def test_everything_at_once_and_nothing():
    assert _both(VALUES)[0] == _both(VALUES)[1]
    assert _both(None) == (b"", b"")
    assert _both([])[0] == b"[]"


@pytest.mark.parametrize(
    "data",
    [
        {"big": 2**64},  # beyond orjson's 64 bits
        {1: "integer key", "b": 2},  # a key DRF's encoder turns into a string
    ],
)
def test_what_orjson_refuses_takes_drfs_path(data):
    ours, drf = _both(data)
    assert ours == drf


def test_what_neither_can_write_fails_as_before():
    with pytest.raises(TypeError):
        renderers.JSONRenderer().render({"x": object()})
    with pytest.raises(TypeError):
        JSONRenderer().render({"x": object()})
    for renderer in (renderers.JSONRenderer(), JSONRenderer()):
        with pytest.raises(TypeError):
            renderer.render({uuid.UUID(int=1): "a key neither turns into a string"})
    with pytest.raises(UnicodeEncodeError):
        JSONRenderer().render({"lone surrogate": "\ud800"})


def test_a_float_under_a_ten_thousandth_is_the_same_number_in_other_digits():
    data = {"tiny": [1e-7, 2.5e-300, -3e-7]}
    ours, drf = _both(data)
    assert ours == b'{"tiny":[1e-7,2.5e-300,-3e-7]}'
    assert drf == b'{"tiny":[1e-07,2.5e-300,-3e-07]}'
    assert json.loads(ours) == json.loads(drf) == data


def test_an_indented_answer_is_drfs():
    data = {"a": [1, {"b": "c"}]}
    for media_type, context in (("application/json; indent=4", None), (None, {"indent": 2})):
        ours, drf = _both(data, media_type, context)
        assert ours == drf
        assert b"\n" in ours


def test_the_catalogue_page_is_the_same_bytes(client, manufacturer_a, staff_user):
    for number in range(3):
        public_product(manufacturer_a, approver=staff_user, name=f"Kente 😀\u2028 {number}")
    response = client.get("/products/list/")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert response.content == renderers.JSONRenderer().render(response.json())
    assert "😀".encode() in response.content
