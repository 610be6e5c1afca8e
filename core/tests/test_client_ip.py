"""core.client_ip: X-Forwarded-For is believed only from TRUSTED_PROXIES."""

import pytest
from django.test import RequestFactory

from core.client_ip import client_ip, uvicorn_proxy_args


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored_even_from_loopback(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(_request("127.0.0.1", "6.6.6.6")) == "127.0.0.1"


def test_a_peer_that_is_not_a_trusted_proxy_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(_request("203.0.113.9", "6.6.6.6")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # The client put its own guess first; our proxy appended the real address.
        ("6.6.6.6, 198.51.100.7", "198.51.100.7"),
        # Two of our own proxies in a row are skipped.
        ("6.6.6.6, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
        # Garbage the client sent stops the walk at the last address we believe.
        ("not-an-ip, 10.1.2.3", "10.1.2.3"),
        ("", "10.0.0.2"),
    ],
)
def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client(
    settings, forwarded, expected
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(_request("10.0.0.2", forwarded)) == expected


def test_uvicorn_trusts_the_same_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert uvicorn_proxy_args() == ["--no-proxy-headers"]

    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    assert uvicorn_proxy_args() == [
        "--proxy-headers",
        "--forwarded-allow-ips",
        "10.0.0.0/8,192.0.2.1",
    ]
