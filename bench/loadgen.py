"""A small HTTP/1.1 load generator: ``concurrency`` keep-alive connections, each sending GETs
back to back for a while, recording every request's latency.

Raw asyncio streams, so the client costs little of the CPU it shares with the server (an HTTP
library's own overhead would eat into the server's figures on a 2-core machine).
"""

import asyncio
import statistics
import time


async def _get(reader, writer, request: bytes) -> int:
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = head.lower()
    marker = b"content-length:"
    if marker in headers:
        length = int(headers.split(marker, 1)[1].split(b"\r\n", 1)[0])
        await reader.readexactly(length)
    elif b"transfer-encoding: chunked" in headers:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _worker(host, port, request, deadline, min_requests, latencies, statuses):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        done = 0
        while time.perf_counter() < deadline or done < min_requests:
            started = time.perf_counter()
            status = await _get(reader, writer, request)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            done += 1
    finally:
        writer.close()


def _request(host: str, port: int, path: str, headers: dict) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def measure(host: str, port: int, path: str, *, concurrency: int, seconds: float,
            warmup: float = 1.0, min_requests: int = 3, headers: dict | None = None) -> dict:
    """Latency percentiles (ms) and requests/s of ``path`` at ``concurrency``."""
    request = _request(host, port, path, headers or {})

    async def run(duration: float, floor: int) -> tuple[list, dict, float]:
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        started = time.perf_counter()
        deadline = started + duration
        await asyncio.gather(*(
            _worker(host, port, request, deadline, floor, latencies, statuses)
            for _ in range(concurrency)
        ))
        return latencies, statuses, time.perf_counter() - started

    asyncio.run(run(warmup, 1))
    latencies, statuses, elapsed = asyncio.run(run(seconds, min_requests))
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    p50 = statistics.median(latencies) * 1000
    return {
        "requests": len(latencies),
        "p50_ms": round(p50, 1),
        "p99_ms": pct(0.99),
        "p99/p50": round(pct(0.99) / p50, 1) if p50 else None,
        "req_per_s": round(len(latencies) / elapsed, 1),
        "statuses": statuses,
    }
