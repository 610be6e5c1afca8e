"""A fake internet for tests of outbound fetches: DNS answers (``socket.getaddrinfo``) and TCP
peers (``socket.create_connection``) that answer with canned HTTP responses, TLS included (the
handshake is skipped; the server name asked for is recorded). Everything above
those two calls (``core.outbound``, ``http.client``) runs for real. Host names and addresses
not registered here go to the real functions (the database and Redis clients need them), so a
test asserts on ``connections`` that nothing reached an address it did not mean to."""

import io
import socket
import ssl

import pytest

REAL_GETADDRINFO = socket.getaddrinfo
REAL_CREATE_CONNECTION = socket.create_connection
REAL_TLS_CONTEXT = ssl.create_default_context


class FakeSocket:
    def __init__(self, web: "FakeWeb", address: tuple[str, int]):
        self.web, self.address, self.sent = web, address, b""
        self.timeouts: list[float] = []

    def sendall(self, data: bytes) -> None:
        self.sent += bytes(data)

    def settimeout(self, value) -> None:
        self.timeouts.append(value)

    def makefile(self, mode="rb", *args, **kwargs):
        request_line = self.sent.split(b"\r\n", 1)[0].decode()
        path = request_line.split(" ")[1]
        headers = dict(
            line.decode().split(": ", 1) for line in self.sent.split(b"\r\n\r\n")[0].split(b"\r\n")[1:]
        )
        self.web.requests.append((self.address, headers.get("Host", ""), path))
        return io.BytesIO(self.web.answer(self.address, path))

    def close(self) -> None:
        pass


class FakeWeb:
    def __init__(self):
        self.dns: dict[str, list[str]] = {}
        self.pages: dict[tuple[str, int, str], bytes] = {}
        self.lookups: list[str] = []
        self.connections: list[tuple[str, int]] = []
        self.requests: list[tuple[tuple[str, int], str, str]] = []
        self.tls_names: list[str] = []

    def host(self, name: str, *addresses: str) -> None:
        self.dns[name] = list(addresses)

    def serve(self, address: str, path: str, body: bytes = b"", *, status: int = 200,
              headers: dict | None = None, port: int = 80, declare_length: bool = True) -> None:
        head = [f"HTTP/1.1 {status} X"]
        declared = {"Content-Length": str(len(body))} if declare_length else {}
        head += [f"{k}: {v}" for k, v in {**declared, **(headers or {})}.items()]
        self.pages[(address, port, path)] = ("\r\n".join(head) + "\r\n\r\n").encode() + body

    def answer(self, address: tuple[str, int], path: str) -> bytes:
        return self.pages.get((*address, path), b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

    # -- the two boundaries --

    def getaddrinfo(self, host, port, *args, **kwargs):
        if host in self.dns:
            self.lookups.append(host)
            if not self.dns[host]:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in self.dns[host]
            ]
        if str(host).endswith((".example", ".test", ".invalid")):
            self.lookups.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    def create_connection(self, address, timeout=None, *args, **kwargs):
        host, port = address[0], address[1]
        self.connections.append((host, port))
        known = {a for addresses in self.dns.values() for a in addresses}
        known |= {a for a, _, _ in self.pages}
        if host in known:
            if not any(a == host and p == port for a, p, _ in self.pages):
                raise ConnectionRefusedError(f"{host}:{port} refused")
            return FakeSocket(self, (host, port))
        return REAL_CREATE_CONNECTION(address, timeout, *args, **kwargs)


class FakeTLSContext:
    """Wraps a fake peer's socket without a handshake, recording the server name (SNI)."""

    def __init__(self, web: FakeWeb, *args, **kwargs):
        self.web, self.real = web, REAL_TLS_CONTEXT(*args, **kwargs)

    def wrap_socket(self, sock, server_hostname=None, **kwargs):
        if isinstance(sock, FakeSocket):
            self.web.tls_names.append(server_hostname)
            return sock
        return self.real.wrap_socket(sock, server_hostname=server_hostname, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def fake_web(monkeypatch) -> FakeWeb:
    web = FakeWeb()
    monkeypatch.setattr(socket, "getaddrinfo", web.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", web.create_connection)
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **k: FakeTLSContext(web, *a, **k))
    return web
