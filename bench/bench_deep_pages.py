"""Deep and random catalogue pages, and the uncached reads, over real HTTP beside the bare view.

The server is started as ``make run`` starts it (uvicorn, one process) with the page cache off
(``CATALOG_API_CACHE_SECONDS=0``: every answer is built, as a random page of a big catalogue
almost always is), on the 100k catalogue of ``bench/catalog_data.py``. In one server session,
each at concurrency 1 and 8 (``BENCH_SECONDS`` each, default 4), each beside the bare DRF
view (the framework's floor) for half as long, the two alternating in ``BENCH_SLICES`` slices
(default 4: a second of the case, half a second of the floor, and again) so that both see the
machine's drift alike: the list's page 1, one deep page
(``page=3000``), a mix of random pages (``page=1..last``, each request another page: the first
pass while the checkpoints fill in, then again once they are known), the search
(``search=basket``, a quarter of the products; ``search=zzzz``, none) and a product's detail
(another product each request). Reported per row: p50, p99, req/s, req/s over the bare view's
beside it, and for the pages their p50 over page 1's. ``BENCH_ROUNDS`` repeats the set.
"""

import asyncio
import os
import random
import statistics
import time

from bench import catalog_data
from bench.loadgen import _get, _request
from bench.server import running_server

HOST = "127.0.0.1"
PAGE_SIZE = 20


def _port() -> int:
    return int(os.environ.get("BENCH_PORT", "18510"))


def _seconds() -> float:
    return float(os.environ.get("BENCH_SECONDS", "4"))


def _slices() -> int:
    return int(os.environ.get("BENCH_SLICES", "4"))


def _mix(port: int, paths, *, concurrency: int, seconds: float):
    """``concurrency`` connections for ``seconds``, each request taking the next path of
    ``paths()``: (latencies, statuses, elapsed)."""

    async def worker(deadline, latencies, statuses):
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while time.perf_counter() < deadline or not latencies:
                request = _request(HOST, port, paths(), {})
                started = time.perf_counter()
                status = await _get(reader, writer, request)
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    async def run():
        latencies, statuses = [], {}
        started = time.perf_counter()
        await asyncio.gather(*(worker(started + seconds, latencies, statuses)
                               for _ in range(concurrency)))
        return latencies, statuses, time.perf_counter() - started

    return asyncio.run(run())


def _figures(latencies: list, statuses: dict, elapsed: float) -> dict:
    latencies = sorted(latencies)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000
    return {"requests": len(latencies), "p50_ms": round(p50, 1), "p99_ms": round(p99, 1),
            "req_per_s": round(len(latencies) / elapsed, 1), "statuses": statuses}


def measure_beside(port: int, paths, floor, *, concurrency: int, seconds: float, slices: int,
                   warmup: float = 1.0) -> tuple[dict, dict]:
    """``paths`` for ``seconds`` and the ``floor`` for half as long, in ``slices`` alternating
    slices (floor, case, floor, case ...): the figures of each over all its slices. The
    machine's speed drifts within seconds; slices a second apart see the same drift."""
    if warmup:
        _mix(port, paths, concurrency=concurrency, seconds=warmup)
    runs: dict[str, list] = {"floor": [[], {}, 0.0], "case": [[], {}, 0.0]}
    for _ in range(slices):
        for name, mix, length in (("floor", floor, seconds / 2), ("case", paths, seconds)):
            latencies, statuses, elapsed = _mix(port, mix, concurrency=concurrency,
                                                seconds=length / slices)
            run = runs[name]
            run[0] += latencies
            for status, count in statuses.items():
                run[1][status] = run[1].get(status, 0) + count
            run[2] += elapsed
    return _figures(*runs["case"]), _figures(*runs["floor"])


def _load(total: int) -> dict:
    from catalog.models import Product
    from catalog.selectors import products_public

    makers, customers = catalog_data.load_people()
    leaves = catalog_data.load_tree(catalog_data.STANDARD_TREE, prefix="std")
    started = time.perf_counter()
    catalog_data.load_products(start=0, stop=total, makers=makers, customers=customers,
                               leaves=leaves)
    public = products_public().count()
    return {"step": "load", "seconds": round(time.perf_counter() - started, 1),
            "products": Product.objects.count(), "public": public,
            "ids": [str(pk) for pk in products_public().values_list("pk", flat=True)]}


def run(rows: int | None = None) -> list[dict]:
    loaded = _load(rows or 100_000)
    ids = loaded.pop("ids")
    print(loaded, flush=True)
    return [loaded, *measure_all(public=loaded["public"], ids=ids)]


def measure_all(*, public: int, ids: list[str]) -> list[dict]:
    """Every case at concurrency 1 and 8 in one server session (page cache off), each in
    slices alternating with the bare view's at the same concurrency (``measure_beside``): the
    ratio is of the pair (a shared machine's speed drifts within seconds; a floor measured once
    at the start, or even just before each case, carries the drift into the ratio).
    ``BENCH_ROUNDS`` (default 1) repeats the whole set; with several rounds the last rows give
    each case's median ratio."""
    last = -(-public // PAGE_SIZE)
    rng = random.Random(7)
    base = f"/products/list/?page_size={PAGE_SIZE}"
    bare = lambda: "/bench/bare-drf/"  # noqa: E731
    cases = [
        ("list page 1", lambda: base),
        ("list page=3000", lambda: f"{base}&page={min(3000, last)}"),
        ("random pages (checkpoints filling)", lambda: f"{base}&page={rng.randint(1, last)}"),
        ("random pages", lambda: f"{base}&page={rng.randint(1, last)}"),
        ("random pages ordering=price",
         lambda: f"{base}&ordering=price&page={rng.randint(1, last)}"),
        ("search page 1", lambda: f"{base}&search=basket"),
        ("search page 1, a word no product has", lambda: f"{base}&search=zzzz"),
        ("detail", lambda: f"/products/{rng.choice(ids)}/"),
    ]
    rounds = int(os.environ.get("BENCH_ROUNDS", "1"))
    results, ratios = [], {}
    load = os.getloadavg()
    with running_server(port=_port(), env={"CATALOG_API_CACHE_SECONDS": "0"}):
        for round_ in range(1, rounds + 1):
            first_page = {}
            for concurrency in (1, 8):
                for name, paths in cases:
                    # The filling pass is measured cold (the first round's): no warm-up, and
                    # in one piece after its floor (it changes as it goes).
                    warm = 0.0 if "filling" in name else 1.0
                    figures, floor = measure_beside(
                        _port(), paths, bare, concurrency=concurrency, seconds=_seconds(),
                        slices=1 if "filling" in name else _slices(), warmup=warm,
                    )
                    if name == "list page 1":
                        first_page[concurrency] = figures["p50_ms"]
                    row = {"round": round_, "request": name, "c": concurrency, **figures,
                           "bare_req_per_s": floor["req_per_s"],
                           "vs_drf": round(figures["req_per_s"] / floor["req_per_s"], 3)}
                    if "page" in name:
                        row["p50_vs_page1"] = round(
                            figures["p50_ms"] / first_page[concurrency], 2)
                    if set(row["statuses"]) == {200}:
                        row.pop("statuses")
                    ratios.setdefault((name, concurrency), []).append(row)
                    print(" | ".join(f"{k}={v}" for k, v in row.items()), flush=True)
                    results.append(row)
        if rounds > 1:
            for (name, concurrency), rows in ratios.items():
                summary = {"median of rounds": name, "c": concurrency,
                           "vs_drf": round(statistics.median(r["vs_drf"] for r in rows), 3)}
                if "page" in name:
                    summary["p50_vs_page1"] = round(
                        statistics.median(r["p50_vs_page1"] for r in rows), 2)
                print(" | ".join(f"{k}={v}" for k, v in summary.items()), flush=True)
                results.append(summary)
    results.append({"load_before": " ".join(f"{x:.1f}" for x in load),
                    "load_after": " ".join(f"{x:.1f}" for x in os.getloadavg())})
    print(results[-1], flush=True)
    return results
