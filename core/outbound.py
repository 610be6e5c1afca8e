"""Fetching an address a user typed (an import's ``image_urls``) without letting them reach
inside our network (SSRF).

Only ``http``/``https`` to public addresses: the host is resolved and every address it resolves
to must be public (not private, loopback, link-local, shared, reserved, multicast or
unspecified; IPv4-mapped IPv6 is judged as the IPv4 address). The connection then goes to the
address that was checked, never to a second lookup a rebinding DNS server could answer
differently, and every redirect is checked the same way before it is followed. The download is
capped in bytes and in total time (connect, redirects and a slow trickle of bytes included).

The boundaries are ``socket.getaddrinfo`` (DNS) and ``socket.create_connection`` (TCP); the
tests replace those two and run everything else for real.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

SCHEMES = {"http": 80, "https": 443}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 3
CHUNK = 64 * 1024
USER_AGENT = "MARTAF-importer/1.0"


class OutboundError(OSError):
    """The address could not be fetched (unreachable, HTTP error, too large, too slow)."""


class OutboundRefused(OutboundError):
    """The address is not one we fetch from (scheme, or a non-public address)."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line
    address: str  # the checked IP address the connection goes to


@dataclass(frozen=True)
class Reply:
    url: str  # after redirects
    content_type: str
    body: bytes


#: NAT64 prefixes (RFC 6052 well-known, RFC 8215 local use): the last 32 bits are an IPv4
#: address a NAT64 gateway forwards to.
NAT64_NETWORKS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def _carried_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address leads to through a translation or a tunnel: 6to4
    (``2002::/16``), Teredo (its server and client) and NAT64."""
    carried = []
    if ip.sixtofour is not None:
        carried.append(("6to4", ip.sixtofour))
    if ip.teredo is not None:
        carried += [("Teredo", ip.teredo[0]), ("Teredo", ip.teredo[1])]
    if any(ip in network for network in NAT64_NETWORKS):
        carried.append(("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return carried


def address_refusal(address: str) -> str | None:
    """Why ``address`` (an IP address) is not fetched from, or None for a public address.
    An IPv6 address that carries an IPv4 one (mapped, 6to4, Teredo, NAT64) is judged by it
    too: ``2002:7f00:1::`` is loopback."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        for form, inner in _carried_ipv4(ip):
            kind = address_refusal(str(inner))
            if kind is not None:
                return f"{kind} ({form})"
    for attribute, kind in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_reserved", "reserved"),
        ("is_private", "private"),
    ):
        if getattr(ip, attribute):
            return kind
    if not ip.is_global:
        return "non-public"
    return None


def _split(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an address we may fetch; OutboundRefused otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise OutboundRefused(f"“{url}” is not a valid address.") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise OutboundRefused(f"“{url}” is not an http(s) address.")
    if not parts.hostname:
        raise OutboundRefused(f"“{url}” has no host.")
    if parts.username is not None or parts.password is not None:
        raise OutboundRefused(f"“{url}” carries a user name or password; they are not sent.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname.lower(), port or SCHEMES[scheme], path


def _literal_address(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def outbound_check(url: str, *, resolve: bool = True) -> Target:
    """The address ``url`` would be fetched from, checked. Raises OutboundRefused (not an
    address we fetch from) or OutboundError (the host does not resolve). With ``resolve``
    False a host name is not looked up (only its form and a literal IP address are checked)."""
    scheme, host, port, path = _split(url)
    literal = _literal_address(host)
    if literal is not None:
        addresses = [literal]
    elif not resolve:
        return Target(url, scheme, host, port, path, address="")
    else:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise OutboundError(f"{host} could not be resolved ({exc}).") from None
        addresses = list(dict.fromkeys(info[4][0] for info in found))
        if not addresses:
            raise OutboundError(f"{host} could not be resolved.")
    for address in addresses:
        kind = address_refusal(address)
        if kind is not None:
            where = host if literal is not None else f"{host} ({address})"
            raise OutboundRefused(
                f"{where} is a {kind} address; only public addresses are fetched."
            )
    return Target(url, scheme, host, port, path, address=addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address while naming the host (Host header)."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = self.pinned_sock = socket.create_connection(
            (self._address, self.port), self.timeout
        )


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS verified against the host name (SNI and certificate)."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self.pinned_sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _remaining(deadline: float, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise OutboundError(f"{url} took too long.")
    return left


def outbound_get(url: str, *, max_bytes: int, timeout: float) -> Reply:
    """GET ``url`` (following up to MAX_REDIRECTS checked redirects): at most ``max_bytes``
    of body, within ``timeout`` seconds in all."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        target = outbound_check(url)
        connection_class = (
            _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        )
        connection = connection_class(target, timeout=_remaining(deadline, url))
        response = None
        try:
            connection.request(
                "GET", target.path, headers={"User-Agent": USER_AGENT, "Accept": "image/*"}
            )
            response = connection.getresponse()
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise OutboundError(f"{url} redirects without a Location.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise OutboundError(f"{url} answered HTTP {response.status}.")
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise OutboundError(f"{url} is larger than {max_bytes:,} bytes.")
            body = bytearray()
            while True:
                # Each read may wait only for what is left of the total time. (http.client
                # lets go of ``sock`` once the reply's end is known, hence our own reference.)
                connection.pinned_sock.settimeout(_remaining(deadline, url))
                chunk = response.read1(CHUNK)
                if not chunk:
                    break
                body += chunk
                if len(body) > max_bytes:
                    raise OutboundError(f"{url} is larger than {max_bytes:,} bytes.")
            return Reply(
                url=url,
                content_type=response.getheader("Content-Type", ""),
                body=bytes(body),
            )
        except (http.client.HTTPException, TimeoutError, ssl.SSLError) as exc:
            raise OutboundError(f"{url} could not be fetched ({exc.__class__.__name__}).") from None
        finally:
            if response is not None:
                response.close()
            connection.close()
    raise OutboundError(f"{url} redirects more than {MAX_REDIRECTS} times.")
