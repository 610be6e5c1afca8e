"""The client's address, the one every rate limit and lockout keys on.

``REMOTE_ADDR`` is the peer that opened the connection. ``X-Forwarded-For`` is believed only
when that peer is one of ``settings.TRUSTED_PROXIES`` (addresses or networks): the header is
then read from the right, skipping our own proxies, and the first address that is not one of
them is the client. With no trusted proxies (the default) the header is ignored, so a client
cannot choose its own address by sending one.

The web server must agree: ``runbackoffice`` starts uvicorn with its proxy headers off, or
trusting exactly these proxies (``uvicorn_proxy_args``), so that ``REMOTE_ADDR`` is never
already rewritten from a header an untrusted peer sent.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def trusted_proxy_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the client: ``REMOTE_ADDR``, or behind trusted proxies the last address
    in ``X-Forwarded-For`` that is not one of them."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    networks = trusted_proxy_networks()
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # garbage before our proxies' hops: stop at the last address we believe
        client = hop
        if not _is_trusted(hop, networks):
            break
    return client


def uvicorn_proxy_args() -> list[str]:
    """uvicorn's proxy-header options for the same trust: off without trusted proxies."""
    proxies = list(getattr(settings, "TRUSTED_PROXIES", ()) or ())
    if not proxies:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", ",".join(proxies)]
