"""Run the benchmarks in ``bench/bench_*.py``: ``python -m bench [name ...] [--rows N]``.

Each benchmark module has ``run(rows: int) -> list[dict]`` and works in a throw-away database
(a temporary SQLite file, or a fresh PostgreSQL database when ``DATABASE_URL`` is set).
"""

import argparse
import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--rows", type=int, default=None, help="override the data size")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.harness import bench_database

    available = sorted(
        m.name[len("bench_") :]
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    names = args.names or available
    unknown = set(names) - set(available)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; available: {available}")
    print(f"database: {os.environ.get('DATABASE_URL') or 'SQLite (temporary file)'}")
    with bench_database():
        for name in names:
            module = importlib.import_module(f"bench.bench_{name}")
            for row in module.run(rows=args.rows):
                print(f"{name:>16} | " + " | ".join(f"{k}={v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
