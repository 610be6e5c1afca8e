"""Unique slugs: ``text`` slugified, with -2, -3 ... added when the slug is taken.

Taken slugs are found by exact look-ups of the candidates (``slug IN (...)``), never by a prefix
search: ``slug LIKE 'base-%'`` cannot use the slug index on SQLite (its ``LIKE`` folds case) nor
on PostgreSQL under a non-C collation, so at 75k products one such query read the whole index
(0.5 s on SQLite), and an import of names other manufacturers already sell paid it per hundred
names. Equality is an index look-up on every database. Candidates are asked for in rounds: the
bases, then for each base as many numbered ones as it still needs, doubling while they turn out
taken, so a base shared by many products costs a few rounds, not one query per number.
"""

from collections import Counter
from collections.abc import Sequence

from django.db import connections
from django.utils.text import slugify

from core.prepared import marker

#: Candidates per ``IN (...)`` query (under the 999 bound parameters of older SQLite builds).
LOOKUP_BATCH = 900


def slug_base(text: str, *, max_length: int) -> str:
    """``text`` slugified, short enough for a ``-N`` suffix within ``max_length``."""
    return (slugify(text) or "item")[: max_length - 8].strip("-") or "item"


def _candidate(base: str, n: int) -> str:
    return base if n == 1 else f"{base}-{n}"


def first_free(base: str, taken: set[str]) -> str:
    """``base``, else the first of ``base-2``, ``base-3`` ... not in ``taken``."""
    n = 1
    while _candidate(base, n) in taken:
        n += 1
    return _candidate(base, n)


def unique_slugs(
    model, bases: Sequence[str], *, field: str = "slug", exclude_pk=None, **scope
) -> list[str]:
    """A free slug of ``model.field`` for each of ``bases`` (already slugs, see ``slug_base``),
    in order: the base if free, else its first free numbered form; a base repeated in
    ``bases`` gets the next free one each time. ``scope`` narrows the rows that count (e.g.
    ``manufacturer_id=...``); ``exclude_pk`` leaves one row out (the one being renamed)."""
    rows = model.objects.filter(**scope)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    lookup = _TakenLookup(rows, field)
    need = Counter(bases)
    checked = dict.fromkeys(need, 0)  # candidates 1..checked[base] have been looked up
    free = dict.fromkeys(need, 0)  # how many of those are free
    taken: set[str] = set()
    more = dict(need)  # how many more candidates to look up, per base
    while more:
        asked = []
        for base, count in more.items():
            asked += [
                (base, _candidate(base, n))
                for n in range(checked[base] + 1, checked[base] + count + 1)
            ]
            checked[base] += count
        for start in range(0, len(asked), LOOKUP_BATCH):
            batch = asked[start : start + LOOKUP_BATCH]
            taken.update(lookup([candidate for _base, candidate in batch]))
        for base, candidate in asked:
            free[base] += candidate not in taken
        # at least double the window of a base still short of free candidates
        more = {
            base: max(need[base] - free[base], checked[base])
            for base in more
            if free[base] < need[base]
        }
    slugs = []
    after: dict[str, int] = {}  # the number after the last one given, per base
    for base in bases:
        n = after.get(base, 1)
        while _candidate(base, n) in taken:
            n += 1
        slug = _candidate(base, n)
        taken.add(slug)
        after[base] = n + 1
        slugs.append(slug)
    return slugs


class _TakenLookup:
    """``field``'s values among ``rows`` that are in a batch of candidates: the ORM's query,
    compiled once per batch length (an import asks hundreds of batches of 900; building each
    as a queryset cost more than running it), run with each batch's candidates bound."""

    def __init__(self, rows, field: str):
        self.rows = rows
        self.field = field
        self.compiled: dict[int, tuple[str, list, list[int]]] = {}

    def __call__(self, candidates: list[str]) -> list[str]:
        compiled = self.compiled.get(len(candidates))
        if compiled is None:
            markers = [marker(str, index) for index in range(len(candidates))]
            query = self.rows.filter(**{f"{self.field}__in": markers}).values_list(self.field)
            sql, params = query.query.get_compiler(using=query.db).as_sql()
            params = list(params)
            compiled = (sql, params, [params.index(found) for found in markers])
            self.compiled[len(candidates)] = compiled
        sql, params, places = compiled
        params = list(params)
        for at, candidate in zip(places, candidates, strict=True):
            params[at] = candidate
        with connections[self.rows.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def unique_slug(model, text: str, *, max_length: int, exclude_pk=None, field: str = "slug",
                **scope) -> str:
    """``text`` slugified, with -2, -3 ... added if ``field`` already holds it (within
    ``scope``, e.g. manufacturer_id=...)."""
    [slug] = unique_slugs(
        model, [slug_base(text, max_length=max_length)], field=field, exclude_pk=exclude_pk,
        **scope,
    )
    return slug
