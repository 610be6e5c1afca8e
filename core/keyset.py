"""Deep pages without an OFFSET scan: page numbers mapped onto the ordering's keys.

``LIMIT 20 OFFSET 59980`` makes the database walk 59,980 rows to throw them away, so a deep
page cost what page 1 costs plus a scan of everything before it. Here the caller keeps a
list's *checkpoints*: the sort keys of rows ``every - 1``, ``2 * every - 1`` ... (the catalogue
keeps them per version and filter, beside the count). A page starting at row ``offset`` then
starts from the checkpoint just before it: the rows *after* that key in the ordering (an index
range: the ordering's own index is read from that key on), skipping fewer than ``every`` rows.
Reading them costs a few OFFSET scans of the whole list (a row number over it), once per
version and filter; every page after that costs what the first page costs.

The answer is the very page ``OFFSET`` gives, because the ordering is total (its last term is
the primary key: no two rows share a key) and the checkpoints were read from the same rows
(the caller keys them on a version that every write moving a row's place moves).

Only orderings of plain columns, ascending or descending, and boolean or other expressions
without NULLs are supported (``order_terms`` says None otherwise: the caller then pages with
OFFSET as before).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import Expression, F, OrderBy, Q, QuerySet, Window
from django.db.models.functions import RowNumber

KEY = "_keyset_{}"
ROW = "_keyset_row"
STEP = "_keyset_step"


@dataclass(frozen=True)
class Term:
    """One term of an ordering: a column name (``field``) or an expression, and its way."""

    field: str | None
    expression: Expression | None
    descending: bool



def order_terms(queryset: QuerySet) -> list[Term] | None:
    """The terms of the queryset's ordering, a repeated column kept once (its first way: the
    later one can never break a tie), or None when keyset paging cannot reproduce it (an
    ordering that does not end with the primary key, NULLS FIRST/LAST, random order)."""
    query = queryset.query
    pk = queryset.model._meta.pk
    terms: list[Term] = []
    seen: set[str] = set()
    for item in query.order_by:
        if isinstance(item, str):
            if item == "?" or "__" in item:
                return None
            descending = item.startswith("-")
            name = item.lstrip("-")
            name = pk.name if name == "pk" else name
            term = Term(field=name, expression=None, descending=descending)
        elif isinstance(item, OrderBy):
            if item.nulls_first or item.nulls_last:
                return None
            inner = item.expression
            if isinstance(inner, F) and "__" not in inner.name:
                name = pk.name if inner.name == "pk" else inner.name
                term = Term(field=name, expression=None, descending=item.descending)
            else:
                term = Term(field=None, expression=inner, descending=item.descending)
        elif isinstance(item, Expression):
            term = Term(field=None, expression=item, descending=False)
        else:
            return None
        if term.field:
            if term.field in seen:
                continue
            seen.add(term.field)
        terms.append(term)
    if not terms or terms[-1].field != pk.name:
        return None
    return terms


def _keyed(
    queryset: QuerySet, terms: Sequence[Term], *, read: bool = False
) -> tuple[QuerySet, list[str]]:
    """The queryset with its expression terms named (annotated to ``read`` them, else only
    aliased: the rows it selects stay as they are), and the name each term goes by."""
    names, annotations = [], {}
    for index, term in enumerate(terms):
        if term.field:
            names.append(term.field)
        else:
            names.append(KEY.format(index))
            annotations[KEY.format(index)] = term.expression
    if not annotations:
        return queryset, names
    return (queryset.annotate if read else queryset.alias)(**annotations), names


def checkpoints_read(queryset: QuerySet, terms: Sequence[Term], *, every: int) -> list[tuple]:
    """The sort keys of rows ``every - 1``, ``2 * every - 1`` ... of the ordered queryset, in
    one query: a row number over the ordering, and only every ``every``-th row returned (the
    database numbers the rows; Python sees a few hundred keys, not every row)."""
    keyed, names = _keyed(queryset.order_by(), terms, read=True)
    ordering = [
        OrderBy(F(term.field) if term.field else term.expression, descending=term.descending)
        for term in terms
    ]
    numbered = keyed.annotate(**{ROW: Window(RowNumber(), order_by=ordering)}).annotate(
        **{STEP: F(ROW) % every}
    )
    rows = numbered.filter(**{STEP: 0}).order_by(ROW).values_list(*names)
    return [tuple(row) for row in rows]


def after(terms: Sequence[Term], names: Sequence[str], key: Sequence) -> Q:
    """Rows after ``key`` in the ordering: the first term bounded (so the index range starts
    at the key), then the lexicographic comparison term by term."""
    def beyond(index: int, *, equal: bool = False) -> Q:
        term = terms[index]
        lookup = ("lt" if term.descending else "gt") + ("e" if equal else "")
        return Q(**{f"{names[index]}__{lookup}": key[index]})

    branches = [
        reduce(and_, [Q(**{names[i]: key[i]}) for i in range(j)], beyond(j))
        for j in range(len(terms))
    ]
    return beyond(0, equal=True) & reduce(or_, branches)


def rows_after(queryset: QuerySet, terms: Sequence[Term], checkpoint: Sequence) -> QuerySet:
    """The rows of the ordered queryset after the row whose key is ``checkpoint``, in order."""
    keyed, names = _keyed(queryset, terms)
    return keyed.filter(after(terms, names, checkpoint))


def page_after(
    queryset: QuerySet, terms: Sequence[Term], checkpoint: Sequence, *, skip: int, size: int
) -> QuerySet:
    """``size`` rows of the ordered queryset, starting ``skip`` rows after the row whose key is
    ``checkpoint``."""
    return rows_after(queryset, terms, checkpoint)[skip : skip + size]
