"""The one low-stock alert rule, run once per stock write over every variation it moved.

A variation alerts once when its stock is at or below its threshold, and re-arms when it rises
above it (``low_stock_notified``). Per write and per manufacturer: one notification (so one
email), naming the variation when only one crossed, else one summary of all of them.

"Per write" matters: a product sent to the API with 10,000 variations wrote 10,000 alerts,
emails and queued tasks inside the request; a 25k-product import that alerted per 1,000-row
chunk sent a hundred summaries where one was meant. So a write that moves many variations one
by one runs inside ``low_stock_alerts_batched()`` (the product services, the import, the
admin's product page): the single-row writes under it only collect their variations, and the
rule runs once when the outermost batch ends.

Alerts are written through ``notifications.services.notify``, which delivers them after commit;
every alert's context carries the threshold.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from catalog.models import Variation
from catalog.models.products import stock_is_low
from catalog.services.stock.locks import chunked
from notifications.services import notify
from users.models import User

#: Per write and manufacturer, up to this many variations are alerted one by one; more make one
#: summary. One: a write tells a manufacturer once, however many variations it moved.
INDIVIDUAL_ALERTS = 1
SUMMARY_NAMES = 20

# The variations collected by the open ``low_stock_alerts_batched`` block, if any.
_batch: ContextVar[set[int] | None] = ContextVar("low_stock_batch", default=None)


@contextmanager
def low_stock_alerts_batched() -> Iterator[None]:
    """Run the low-stock rule once for everything written inside the block (use it inside the
    write's transaction). Nested blocks join the outermost; if the block raises, nothing is
    alerted (the write is rolled back)."""
    if _batch.get() is not None:
        yield
        return
    collected: set[int] = set()
    token = _batch.set(collected)
    try:
        yield
    finally:
        _batch.reset(token)
    low_stock_alert(variation_ids=collected)


def low_stock_candidates_new(variations: Iterable) -> list[int]:
    """Which variations just created (``pk``, ``stock``, ``low_stock_threshold``) can alert:
    only the low ones, since none has been alerted yet (``low_stock_alert`` would read the
    others back to do nothing)."""
    return [v.pk for v in variations
            if stock_is_low(stock=v.stock, threshold=v.low_stock_threshold)]


def low_stock_alert(
    *, variation_ids: Iterable[int], seen: Iterable[Variation] | None = None
) -> int:
    """Fire and re-arm the low-stock alerts of these variations from their stock now (call it
    at the end of the write, with its rows still locked); returns the variations alerted.
    Inside ``low_stock_alerts_batched`` it only collects them (and returns 0).

    ``seen``: the caller's own copies of these rows as they now are (stock, threshold,
    whether alerted, the product's name), read under its lock: then nothing is read again."""
    batch = _batch.get()
    if batch is not None:
        batch.update(variation_ids)
        return 0
    ids = sorted(set(variation_ids))
    known = {variation.pk: variation for variation in seen or ()}
    if not set(ids) <= set(known):
        known = {}
        for chunk in chunked(ids):
            known.update(
                (variation.pk, variation)
                for variation in Variation.objects.filter(pk__in=chunk).only(
                    "pk", "stock", "low_stock_threshold", "low_stock_notified"
                )
            )
    low: list[int] = []
    rearm: list[int] = []
    for pk in ids:
        variation = known.get(pk)
        if variation is None:
            continue
        if stock_is_low(stock=variation.stock, threshold=variation.low_stock_threshold):
            if not variation.low_stock_notified:
                low.append(pk)
        elif variation.low_stock_notified:
            rearm.append(pk)
    for chunk in chunked(rearm):
        Variation.objects.filter(pk__in=chunk).update(low_stock_notified=False)
    alerted: list[Variation] = []
    for chunk in chunked(low):
        Variation.objects.filter(pk__in=chunk).update(low_stock_notified=True)
        if seen is not None:
            alerted += [known[pk] for pk in chunk]
            continue
        alerted += Variation.objects.filter(pk__in=chunk).select_related("product").only(
            "pk", "stock", "low_stock_threshold", "manufacturer_id", "product_id",
            "product__name", "size", "color",
        ).order_by("pk")
    for pk in rearm:
        known[pk].low_stock_notified = False
    for variation in alerted:
        variation.low_stock_notified = True
    by_manufacturer: dict[int, list[Variation]] = {}
    for variation in alerted:
        by_manufacturer.setdefault(variation.manufacturer_id, []).append(variation)
    manufacturers = User.objects.in_bulk(list(by_manufacturer)) if by_manufacturer else {}
    for manufacturer_id, variations in by_manufacturer.items():
        recipient = manufacturers[manufacturer_id]
        if len(variations) <= INDIVIDUAL_ALERTS:
            for variation in variations:
                _alert_one(variation, recipient)
        else:
            _alert_summary(variations, recipient)
    return len(alerted)


def _alert_one(variation: Variation, recipient: User) -> None:
    notify(
        event="low_stock",
        recipients=[recipient],
        context={
            # "Shoes / M / Red" for a variation, "Shoes" for a product's own stock.
            "product_name": str(variation),
            "stock": variation.stock,
            "threshold": variation.low_stock_threshold,
        },
        link=f"/admin/catalog/product/{variation.product_id}/change/",
    )


def _alert_summary(variations: list[Variation], recipient: User) -> None:
    thresholds = sorted({v.low_stock_threshold for v in variations})
    named = ", ".join(
        f"{v} ({v.stock} left, threshold {v.low_stock_threshold})"
        for v in variations[:SUMMARY_NAMES]
    )
    notify(
        event="low_stock",
        recipients=[recipient],
        context={
            "product_name": f"{len(variations)} variations",
            "stock": "at or below their threshold",
            "threshold": thresholds[0] if len(thresholds) == 1
            else f"{thresholds[0]}–{thresholds[-1]}",
            "title": f"Low stock: {len(variations)} variations",
            "body": "These are now at or below their low-stock threshold: " + named
            + ("…" if len(variations) > SUMMARY_NAMES else ""),
        },
        link="/admin/catalog/product/?stock=low",
    )
