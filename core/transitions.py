"""Status machines, one style for every model that has one (products' approval, reviews, orders,
imports, manufacturer onboarding).

Each model's module declares its allowed moves once, as a table ``from status -> the statuses it
may move to``::

    ORDER_MOVES = StatusMoves("status", {
        OrderStatus.PENDING: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
        ...
    })

and every service checks a move through that table: ``allows`` / ``targets`` to ask (forms,
buttons), ``sources`` for the statuses a move may start from, and ``move`` to write it as a
conditional update, so of two writers at once only one wins. A status missing from the table has
no way out.
"""

from collections.abc import Iterable, Mapping

from django.db import models


class StatusMoves:
    """The allowed moves of one status ``field``: ``moves`` maps a status to where it may go."""

    def __init__(self, field: str, moves: Mapping[str, Iterable[str]]) -> None:
        self.field = field
        self._targets = {str(frm): frozenset(str(to) for to in tos) for frm, tos in moves.items()}

    def allows(self, frm: str, to: str) -> bool:
        """Whether a row in status ``frm`` may move to ``to``."""
        return str(to) in self._targets.get(str(frm), frozenset())

    def targets(self, frm: str) -> frozenset[str]:
        """Where a row in status ``frm`` may go (empty: a final status)."""
        return self._targets.get(str(frm), frozenset())

    def sources(self, to: str) -> frozenset[str]:
        """The statuses a row may be in to move to ``to``."""
        return frozenset(frm for frm, tos in self._targets.items() if str(to) in tos)

    def move(self, model: type[models.Model], *, pk, to: str, **values) -> str | None:
        """Set row ``pk``'s status to ``to`` (and ``values``) only while its status may move
        there: a conditional update, so of two writers at once one wins. Returns None when the
        row moved, else its current status (the move was refused; nothing was written)."""
        allowed = self.sources(to)
        updated = model.objects.filter(pk=pk, **{f"{self.field}__in": allowed}).update(
            **{self.field: to}, **values
        )
        if updated == 1:
            return None
        return model.objects.values_list(self.field, flat=True).get(pk=pk)
