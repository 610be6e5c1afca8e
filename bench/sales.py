"""A sale a second against the bench's database, in its own process (``python -m bench.sales``,
started by ``bench_catalog_api``): a stock move through the services, as a live marketplace
writes while the storefront reads. Its own process, so its work never holds the load
generator's interpreter. Stops on SIGTERM and prints how many sales it made."""

import os
import signal
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.server_settings")


def main(every: float) -> int:
    import django

    django.setup()
    from django.db import transaction

    from catalog.models import StockReason, Variation
    from catalog.services import stock_adjust

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    variations = list(Variation.objects.filter(stock__gt=10).order_by("?")[:500])
    sold = 0
    while not stopping:
        time.sleep(every)
        with transaction.atomic():
            stock_adjust(variation=variations[sold % len(variations)],
                         delta=-1 if sold % 2 else 1, reason=StockReason.ORDER, actor=None,
                         note="bench sale")
        sold += 1
    print(f"sales written during the session: {sold}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0))
