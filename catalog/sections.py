"""Sections of the product JSON that apps above the catalogue own.

The storefront's product JSON embeds a few things the catalogue does not own (a product's
latest reviews, ``reviews_data``, belongs to ``reviews``). The catalogue sits below those apps
and must not import them, so it offers this registry instead: an app registers a section in
its ``AppConfig.ready()``, and both renderings of a product put it in the JSON, after the
catalogue's own lists (``images_data``, ``variations_data``), in the order registered:

- the list's cards (``catalog.api.cards``, from value rows) call ``values`` once per page;
- the serializer path (``ProductSerializer``) reads what ``products_in_order`` fetched with
  the products (``sections_attach``): one call per list of products, never one per product.

``values`` takes product ids and answers ``{product id: JSON value}`` in a fixed number of
queries, or a ``core.prepared.Later`` of it (its reads sent with the page's others, in one
round trip on PostgreSQL: ``core.prepared.reads_together``); a product it leaves out gets
``default()``. ``schema`` (a serializer or field) and ``help_text`` describe the value in the
OpenAPI schema.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from core.prepared import Later


@dataclass(frozen=True)
class ProductSection:
    name: str
    values: Callable[[list], dict]
    default: Callable[[], Any] = list
    schema: Any = None
    help_text: str = ""


_SECTIONS: dict[str, ProductSection] = {}


def section_register(section: ProductSection) -> None:
    """Add ``section`` to the product JSON (registering a name again replaces it)."""
    _SECTIONS[section.name] = section


def sections() -> tuple[ProductSection, ...]:
    """The registered sections, in the order they appear in the product JSON."""
    return tuple(_SECTIONS.values())


def section_values(*, ids: list) -> dict[str, Later[dict]]:
    """``section name -> Later({product id: value})`` for these products: each section's
    queries once (none without ids), sent (``core.prepared.reads_together``)."""
    return {section.name: _later(section.values(ids) if ids else {}) for section in sections()}


def _later(values: dict | Later[dict]) -> Later[dict]:
    return values if isinstance(values, Later) else Later.of(values)


def section_value(section: ProductSection, values: dict[str, Later[dict]], pk) -> Any:
    """The value of ``section`` for product ``pk`` out of ``section_values``' answer."""
    found = values[section.name].get()
    return found[pk] if pk in found else section.default()


def sections_attach(products: Iterable) -> None:
    """Fetch every section of these products and keep it on each as ``product.sections``
    (``name -> value``), which ``ProductSerializer`` renders."""
    products = list(products)
    values = section_values(ids=[product.pk for product in products])
    for product in products:
        product.sections = {
            section.name: section_value(section, values, product.pk) for section in sections()
        }
