"""Deep pages without an OFFSET scan: page numbers mapped onto the ordering's keys.

``LIMIT 20 OFFSET 59980`` makes the database walk 59,980 rows to throw them away, so a deep
page cost what page 1 costs plus a scan of everything before it. Here the caller keeps a
list's *checkpoints*: the sort keys of rows ``every - 1``, ``2 * every - 1`` ... (the catalogue
keeps them per version and filter, beside the count). A page starting at row ``offset`` then
starts from the checkpoint just before it: the rows *after* that key in the ordering (an index
range: the ordering's own index is read from that key on), skipping fewer than ``every`` rows.
A missing checkpoint is found from the nearest one before it (``key_after``: one short query;
the first time from the list's start, what OFFSET cost before), so they fill in as pages are
read, and no request costs more than OFFSET did.

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

from django.db.models import Expression, F, OrderBy, Q, QuerySet

KEY = "_keyset_{}"


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


def key_after(
    queryset: QuerySet, terms: Sequence[Term], key: Sequence | None, *, skip: int
) -> tuple | None:
    """The sort key of the row ``skip`` rows after the row whose key is ``key`` (from the first
    row when ``key`` is None), or None when there is no such row: one query."""
    keyed, names = _keyed(queryset, terms, read=True)
    if key is not None:
        keyed = keyed.filter(after(terms, names, key))
    row = keyed.values_list(*names)[skip : skip + 1]
    found = list(row)
    return tuple(found[0]) if found else None


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


def page_after(
    queryset: QuerySet, terms: Sequence[Term], checkpoint: Sequence, *, skip: int, size: int
) -> QuerySet:
    """``size`` rows of the ordered queryset, starting ``skip`` rows after the row whose key is
    ``checkpoint``."""
    keyed, names = _keyed(queryset, terms)
    return keyed.filter(after(terms, names, checkpoint))[skip : skip + size]
