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
from functools import cache

from django.db.models import QuerySet
from django.utils.text import slugify

from core.prepared import Exact, PreparedQuery, field_prep, marker

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
            candidates = [candidate for _base, candidate in batch]
            taken.update(_taken(model, field, scope, exclude_pk, candidates))
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


def _build_taken(key: tuple, *markers) -> QuerySet:
    model, field, scope_names, excluding, size = key
    candidates, scope_values = markers[:size], markers[size:]
    rows = model.objects.filter(**dict(zip(scope_names, scope_values, strict=False)))
    if excluding:
        rows = rows.exclude(pk=scope_values[-1])
    return rows.filter(**{f"{field}__in": candidates}).values_list(field)


# Compiled once per model, field, scope and batch size (an import asks hundreds of batches of
# 900: building each as a queryset cost more than running it).
_TAKEN = PreparedQuery(_build_taken)


def _taken(model, field: str, scope: dict, exclude_pk, candidates: list[str]) -> list[str]:
    """Which of ``candidates`` ``field`` holds among ``model``'s rows within ``scope`` (field
    equalities) but the one whose pk is ``exclude_pk``. A batch is padded to a power of two
    (with its last candidate again), so a few sizes of query serve every batch."""
    size = min(LOOKUP_BATCH, 1 << (len(candidates) - 1).bit_length())
    candidates = candidates + candidates[-1:] * (size - len(candidates))
    names = tuple(sorted(scope))
    fields = [model._meta.get_field(name) for name in names]
    values = [scope[name] for name in names]
    if exclude_pk is not None:
        fields.append(model._meta.pk)
        values.append(exclude_pk)
    slots = [
        *_candidate_slots(size),
        *(
            Exact(_scope_marker(value, index), field_prep(found))
            for index, (found, value) in enumerate(zip(fields, values, strict=True))
        ),
    ]
    key = (model, field, names, exclude_pk is not None, size)
    return [row[0] for row in _TAKEN.rows(key, slots, [*candidates, *values])]


@cache
def _candidate_slots(size: int) -> tuple[Exact, ...]:
    # Slugs and SKUs are text columns: a candidate is its own parameter (no per-value prep).
    return tuple(Exact(marker(str, index)) for index in range(size))


def _scope_marker(value, index: int):
    """A marker of ``value``'s kind: for an integer one within a 32-bit column's range (the
    ORM compiles a look-up past the column's range as matching nothing)."""
    if isinstance(value, int):
        return 2_100_000_000 + index
    return marker(type(value), 960 + index)  # past the candidates' (at most LOOKUP_BATCH)


def unique_slug(model, text: str, *, max_length: int, exclude_pk=None, field: str = "slug",
                **scope) -> str:
    """``text`` slugified, with -2, -3 ... added if ``field`` already holds it (within
    ``scope``, e.g. manufacturer_id=...)."""
    [slug] = unique_slugs(
        model, [slug_base(text, max_length=max_length)], field=field, exclude_pk=exclude_pk,
        **scope,
    )
    return slug
