"""Unique slugs (``catalog.services.slugs``): the base, else its first free numbered form,
found by exact look-ups (never a prefix ``LIKE``, which scans the slug index), in a few rounds
however many numbers are taken."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Category
from catalog.services import slugs, unique_slug, unique_slugs

pytestmark = pytest.mark.django_db


def categories(*slugs: str) -> None:
    for i, slug in enumerate(slugs):
        Category.objects.add_root({"name": f"C{i}", "slug": slug})


def test_a_free_base_is_itself_and_repeats_are_numbered():
    assert unique_slugs(Category, ["rack", "rack", "shelf", "rack"]) == [
        "rack", "rack-2", "shelf", "rack-3"
    ]


def test_taken_numbers_and_gaps_are_skipped_in_order():
    categories("rack", "rack-3", "rack-extra", "rackets")
    assert unique_slugs(Category, ["rack", "rack", "rack"]) == ["rack-2", "rack-4", "rack-5"]
    assert unique_slug(Category, "Rackets!", max_length=140) == "rackets-2"


def test_a_long_run_of_taken_numbers_costs_a_few_exact_lookups():
    categories("tote", *[f"tote-{n}" for n in range(2, 41)])

    with CaptureQueriesContext(connection) as queries:
        slugs = unique_slugs(Category, ["tote", "tote", "bag"])

    assert slugs == ["tote-41", "tote-42", "bag"]
    sql = [q["sql"].upper() for q in queries]
    assert len(sql) <= 7  # rounds of a doubling window: 3, 2, 4, 8, 16, 32 candidates
    assert not any(" LIKE " in q for q in sql)
    assert all(" IN (" in q for q in sql)


def test_scope_and_the_renamed_row_itself():
    categories("lamp")
    lamp = Category.objects.get(slug="lamp")
    assert unique_slugs(Category, ["lamp"], exclude_pk=lamp.pk) == ["lamp"]
    assert unique_slugs(Category, ["lamp"], depth=2) == ["lamp"]
    assert unique_slugs(Category, ["lamp"], depth=1) == ["lamp-2"]


def test_lookups_split_into_batches_answer_as_one(monkeypatch):
    categories("tote", "tote-2", "tote-3", "bag")
    monkeypatch.setattr(slugs, "LOOKUP_BATCH", 2)

    with CaptureQueriesContext(connection) as queries:
        found = unique_slugs(Category, ["tote", "tote", "bag", "cup"])

    assert found == ["tote-4", "tote-5", "bag-2", "cup"]
    # rounds of 4, 3 and 4 candidates, in batches of at most 2
    assert len(queries) == 2 + 2 + 2
    assert all(q["sql"].count("%s") == 0 and " IN (" in q["sql"] for q in queries)
