"""The marketplace's commission on a sale line: the one rule, asked when an order is placed.

A line's commission is ``round_half_up(line_total × percent / 100) + flat``, never on shipping.
Which ``CommissionRule`` gives ``percent`` and ``flat``: the most specific one.

1. a rule for the line's manufacturer *and* a category in its product's ancestry (the deepest
   such category first);
2. the manufacturer's own rule (no category);
3. a rule for a category in the product's ancestry (deepest first), any manufacturer;
4. the marketplace default row (neither category nor manufacturer);
5. ``settings.COMMISSION_DEFAULT_PERCENT`` when staff have written no default row.

``commission_book_for`` reads every rule that can apply to a set of manufacturers in one query
(there are few rules: one per manufacturer or category staff chose to treat differently), and
the book answers each line from memory: placing a checkout of many lines and manufacturers asks
the database once. What a line captured never changes when a rule changes later.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from core.money import quantize_money
from orders.models import CommissionRule

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CommissionTerms:
    """A rule's terms as a line captures them."""

    percent: Decimal
    flat: Decimal
    rule_id: int | None = None  # None: the setting's default (no rule row)

    def on(self, line_total: Decimal) -> Decimal:
        """The commission on a line of ``line_total`` (after discounts)."""
        return quantize_money(line_total * self.percent / Decimal(100)) + self.flat


class CommissionBook:
    """The rules that may apply to some manufacturers' lines, answered from memory."""

    def __init__(self, rules: Iterable[CommissionRule]):
        self._default: CommissionTerms | None = None
        self._manufacturer: dict[int, CommissionTerms] = {}
        # category path -> terms; per manufacturer, and for any manufacturer (key None)
        self._by_category: dict[int | None, dict[str, CommissionTerms]] = {}
        for rule in rules:
            terms = CommissionTerms(rule.percent, rule.flat, rule.pk)
            if rule.category_id is None and rule.manufacturer_id is None:
                self._default = terms
            elif rule.category_id is None:
                self._manufacturer[rule.manufacturer_id] = terms
            else:
                paths = self._by_category.setdefault(rule.manufacturer_id, {})
                paths[rule.category.path] = terms

    def _deepest(self, owner: int | None, path: str, steplen: int) -> CommissionTerms | None:
        paths = self._by_category.get(owner)
        if not paths:
            return None
        for end in range(len(path), 0, -steplen):  # the category itself, then up the tree
            if (terms := paths.get(path[:end])) is not None:
                return terms
        return None

    def terms_for(self, *, manufacturer_id: int | None, category) -> CommissionTerms:
        """The terms for a line of ``manufacturer_id``'s product in ``category`` (a
        ``catalog.Category``, or None)."""
        path = category.path if category is not None else ""
        steplen = category.steplen if category is not None else 1
        if manufacturer_id is not None:
            if (terms := self._deepest(manufacturer_id, path, steplen)) is not None:
                return terms
            if (terms := self._manufacturer.get(manufacturer_id)) is not None:
                return terms
        if (terms := self._deepest(None, path, steplen)) is not None:
            return terms
        if self._default is not None:
            return self._default
        return CommissionTerms(Decimal(settings.COMMISSION_DEFAULT_PERCENT), ZERO)


def commission_book_for(*, manufacturer_ids: Iterable[int | None]) -> CommissionBook:
    """Every rule that may apply to lines of ``manufacturer_ids`` (theirs, and the rules for
    any manufacturer), in one query."""
    ids = {pk for pk in manufacturer_ids if pk is not None}
    rules = CommissionRule.objects.filter(
        Q(manufacturer_id__in=ids) | Q(manufacturer__isnull=True)
    ).select_related("category")
    return CommissionBook(rules.only("pk", "percent", "flat", "manufacturer_id", "category__path"))
