"""Outbound fetches of user-given addresses: public http(s) only, after DNS and on every
redirect, to the address that was checked, capped in size and time. DNS and TCP are faked
(``fake_web``); http.client and core.outbound run for real."""

import pytest

from core import outbound
from core.outbound import OutboundError, OutboundRefused, address_refusal, outbound_get

PUBLIC = "93.184.216.34"
CAP = {"max_bytes": 1000, "timeout": 10}


def test_a_public_host_is_fetched_from_the_address_that_was_checked(fake_web):
    fake_web.host("cdn.example", PUBLIC)
    fake_web.serve(PUBLIC, "/a.png?v=2", b"PNGDATA", headers={"Content-Type": "image/png"})

    reply = outbound_get("http://cdn.example/a.png?v=2", **CAP)

    assert (reply.body, reply.content_type, reply.url) == (
        b"PNGDATA", "image/png", "http://cdn.example/a.png?v=2",
    )
    assert fake_web.connections == [(PUBLIC, 80)]  # the IP, not a second lookup of the name
    assert fake_web.requests == [((PUBLIC, 80), "cdn.example", "/a.png?v=2")]


@pytest.mark.parametrize(
    "url, dns, kind",
    [
        ("http://127.0.0.1:8799/admin/", {}, "loopback"),
        ("http://localhost/secret", {"localhost": ["127.0.0.1"]}, "loopback"),
        ("http://169.254.169.254/latest/meta-data/", {}, "link-local"),
        ("http://10.0.0.5/", {}, "private"),
        ("http://192.168.1.1/", {}, "private"),
        ("http://[::1]/", {}, "loopback"),
        ("http://[::ffff:127.0.0.1]/", {}, "loopback"),
        ("http://224.0.0.1/", {}, "multicast"),
        ("http://0.0.0.0/", {}, "unspecified"),
        ("http://240.0.0.1/", {}, "reserved"),
        ("http://100.64.0.1/", {}, "non-public"),
        ("https://intranet.example/x.png", {"intranet.example": ["10.1.2.3"]}, "private"),
        # One public and one private answer: refused (the private one could be picked).
        ("http://mixed.example/x.png", {"mixed.example": [PUBLIC, "127.0.0.2"]}, "loopback"),
    ],
)
def test_non_public_addresses_are_refused_before_any_connection(fake_web, url, dns, kind):
    for name, addresses in dns.items():
        fake_web.host(name, *addresses)

    with pytest.raises(OutboundRefused, match=f"is a {kind} address"):
        outbound_get(url, **CAP)

    assert fake_web.connections == []


@pytest.mark.parametrize(
    "url", ["ftp://cdn.example/a.png", "file:///etc/passwd", "gopher://cdn.example/",
            "http://user:pw@cdn.example/a.png", "http:///a.png", "http://cdn.example:99999/"]
)
def test_only_plain_http_and_https_addresses_are_fetched(fake_web, url):
    with pytest.raises(OutboundRefused):
        outbound_get(url, **CAP)

    assert fake_web.connections == [] and fake_web.lookups == []


def test_a_redirect_to_a_private_address_is_refused(fake_web):
    fake_web.host("cdn.example", PUBLIC)
    fake_web.serve(PUBLIC, "/a.png", status=302,
                   headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    with pytest.raises(OutboundRefused, match="link-local"):
        outbound_get("http://cdn.example/a.png", **CAP)

    assert fake_web.connections == [(PUBLIC, 80)]


def test_a_redirect_to_a_name_that_resolves_privately_is_refused(fake_web):
    fake_web.host("cdn.example", PUBLIC)
    fake_web.host("evil.example", "127.0.0.1")
    fake_web.serve(PUBLIC, "/a.png", status=301, headers={"Location": "http://evil.example/"})

    with pytest.raises(OutboundRefused, match="loopback"):
        outbound_get("http://cdn.example/a.png", **CAP)

    assert fake_web.connections == [(PUBLIC, 80)]


def test_public_redirects_are_followed_up_to_a_limit(fake_web):
    fake_web.host("cdn.example", PUBLIC)
    fake_web.serve(PUBLIC, "/old.png", status=301, headers={"Location": "/new.png"})
    fake_web.serve(PUBLIC, "/new.png", b"NEW")
    fake_web.serve(PUBLIC, "/loop", status=302, headers={"Location": "/loop"})

    assert outbound_get("http://cdn.example/old.png", **CAP).body == b"NEW"
    with pytest.raises(OutboundError, match="redirects more than 3 times"):
        outbound_get("http://cdn.example/loop", **CAP)


def test_the_size_is_capped_whether_declared_or_not(fake_web):
    fake_web.host("cdn.example", PUBLIC)
    fake_web.serve(PUBLIC, "/declared.png", b"x" * 1001)
    fake_web.serve(PUBLIC, "/undeclared.png", b"x" * 5000, declare_length=False)

    for path in ("/declared.png", "/undeclared.png"):
        with pytest.raises(OutboundError, match="larger than 1,000 bytes"):
            outbound_get(f"http://cdn.example{path}", **CAP)


def test_the_time_is_capped_in_all(fake_web, monkeypatch):
    fake_web.host("cdn.example", PUBLIC)
    fake_web.serve(PUBLIC, "/slow.png", b"x" * 500, declare_length=False)
    clock = iter(range(0, 1000, 4))  # every look at the clock: 4 s later
    monkeypatch.setattr(outbound.time, "monotonic", lambda: next(clock))

    with pytest.raises(OutboundError, match="took too long"):
        outbound_get("http://cdn.example/slow.png", max_bytes=1000, timeout=10)


def test_an_unresolvable_host_or_a_refused_connection_is_an_error_not_a_crash(fake_web):
    fake_web.host("gone.example")
    fake_web.host("down.example", PUBLIC)

    with pytest.raises(OutboundError, match="could not be resolved"):
        outbound_get("http://gone.example/a.png", **CAP)
    with pytest.raises(OSError):
        outbound_get("http://down.example/a.png", **CAP)


def test_address_refusal_names_the_kind():
    assert address_refusal(PUBLIC) is None
    assert address_refusal("2606:4700::1111") is None
    assert address_refusal("fe80::1%eth0") == "link-local"
    assert address_refusal("fc00::1") == "private"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("2002:7f00:1::", "loopback (6to4)"),  # 6to4 of 127.0.0.1
        ("2002:a00:1::1", "private (6to4)"),  # 6to4 of 10.0.0.1
        ("2002:a9fe:a9fe::", "link-local (6to4)"),  # 6to4 of 169.254.169.254 (cloud metadata)
        ("64:ff9b::7f00:1", "loopback (NAT64)"),
        ("64:ff9b:1::c0a8:1", "private (NAT64)"),  # local-use NAT64 of 192.168.0.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback (Teredo)"),  # client 127.0.0.1
    ],
)
def test_ipv4_addresses_carried_in_ipv6_are_judged_by_what_they_carry(address, kind):
    assert address_refusal(address) == kind


def test_6to4_of_a_public_address_is_public():
    assert address_refusal("2002:808:808::1") is None  # 6to4 of 8.8.8.8
