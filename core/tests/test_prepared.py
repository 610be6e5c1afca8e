"""``core.prepared``: a shape is compiled once per process (not once per connection object:
under ASGI each request has its own), and runs with each call's values bound."""

import threading

import pytest
from django.db import connections

from core.prepared import PreparedQuery, field_slots
from users.models import User

pytestmark = pytest.mark.django_db


def test_a_shape_is_compiled_once_and_bound_per_call(make_user):
    people = [make_user(f"p{i}@example.com", first_name=f"P{i}") for i in range(3)]
    built = []

    def build(key, *ids):
        built.append(key)
        return User.objects.filter(pk__in=ids).order_by("pk").values_list("first_name")

    query = PreparedQuery(build)
    slots = field_slots(User._meta.pk, int, 2)
    assert query.rows(2, slots, [people[0].pk, people[2].pk]) == [("P0",), ("P2",)]
    found = []

    def other_thread():  # another thread: another connection object (outside the test's
        # transaction, so it sees no rows: it checks that the plan is reused, not the rows)
        found.append(query.rows(2, slots, [people[1].pk, people[2].pk]))
        connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert found == [[]]
    assert built == [2]
    assert query.rows(2, slots, [people[2].pk, people[1].pk]) == [("P1",), ("P2",)]
    assert built == [2]


def test_on_postgresql_the_statement_is_prepared_on_the_server_and_logged_with_its_values(
    make_user,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = make_user("prepared@example.com", first_name="Prepared")
    query = PreparedQuery(
        lambda key, pk: User.objects.filter(pk=pk).values_list("first_name", "date_joined")
    )
    slots = field_slots(User._meta.pk, int, 1)
    with CaptureQueriesContext(connection) as captured:
        rows = query.rows("one", slots, [person.pk])
    assert rows == [("Prepared", person.date_joined)]  # converted, in the same time zone
    assert str(person.pk) in captured.captured_queries[0]["sql"]
    if connection.vendor != "postgresql":
        return  # SQLite's module keeps its own statement cache
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('"users_user"."first_name"' in text and "$1" in text for text in statements)
