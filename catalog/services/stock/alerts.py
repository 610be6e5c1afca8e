"""The one low-stock alert rule, run once per stock write over every variation it moved.

A variation alerts once when its stock is at or below its threshold, and re-arms when it rises
above it (``low_stock_notified``). Per write and per manufacturer: up to ``INDIVIDUAL_ALERTS``
variations get one alert each; beyond that, one summary. "Per write" matters: a 25k-product
import that alerted per 1,000-row chunk sent a hundred summaries where one was meant, so the
bulk writes let their caller run this once over the whole import.

Alerts are written through ``notifications.services.notify``, which delivers them after commit;
every alert's context carries the threshold.
"""

from collections.abc import Iterable

from catalog.models import Variation
from catalog.services.stock.locks import chunked
from notifications.services import notify
from users.models import User

INDIVIDUAL_ALERTS = 5
SUMMARY_NAMES = 20


def stock_is_low(*, stock: int, threshold: int) -> bool:
    """The rule's test: a variation is low at or below its threshold."""
    return stock <= threshold


def low_stock_candidates_new(variations: Iterable) -> list[int]:
    """Which variations just created (``pk``, ``stock``, ``low_stock_threshold``) can alert:
    only the low ones, since none has been alerted yet (``low_stock_alert`` would read the
    others back to do nothing)."""
    return [v.pk for v in variations
            if stock_is_low(stock=v.stock, threshold=v.low_stock_threshold)]


def low_stock_alert(*, variation_ids: Iterable[int]) -> int:
    """Fire and re-arm the low-stock alerts of these variations from their stock now (call it
    at the end of the write, with its rows still locked); returns the variations alerted."""
    low: list[int] = []
    rearm: list[int] = []
    for chunk in chunked(sorted(set(variation_ids))):
        rows = Variation.objects.filter(pk__in=chunk).values_list(
            "pk", "stock", "low_stock_threshold", "low_stock_notified"
        )
        for pk, stock, threshold, notified in rows:
            if stock_is_low(stock=stock, threshold=threshold):
                if not notified:
                    low.append(pk)
            elif notified:
                rearm.append(pk)
    for chunk in chunked(rearm):
        Variation.objects.filter(pk__in=chunk).update(low_stock_notified=False)
    alerted: list[Variation] = []
    for chunk in chunked(low):
        Variation.objects.filter(pk__in=chunk).update(low_stock_notified=True)
        alerted += Variation.objects.filter(pk__in=chunk).select_related("product").only(
            "pk", "stock", "low_stock_threshold", "manufacturer_id", "product_id",
            "product__name", "size", "color",
        ).order_by("pk")
    by_manufacturer: dict[int, list[Variation]] = {}
    for variation in alerted:
        by_manufacturer.setdefault(variation.manufacturer_id, []).append(variation)
    manufacturers = User.objects.in_bulk(list(by_manufacturer))
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
