"""``core.prepared``: a shape is compiled once per process (not once per connection object:
under ASGI each request has its own), and runs with each call's values bound."""

import threading

import pytest
from django.db import connections

from core.prepared import _UNREAD, Exact, PreparedQuery, field_slots, marker, reads_together
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
    person.refresh_from_db()  # as Django's own cursor reads it
    assert rows[0][1].isoformat() == person.date_joined.isoformat()
    assert rows[0][1].utcoffset() == person.date_joined.utcoffset()
    assert str(person.pk) in captured.captured_queries[0]["sql"]
    if connection.vendor != "postgresql":
        return  # SQLite's module keeps its own statement cache
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('"users_user"."first_name"' in text and "$1" in text for text in statements)


def test_reads_sent_together_answer_as_each_read_alone(make_user):
    people = [make_user(f"t{i}@example.com", first_name=f"T{i}") for i in range(3)]
    names = PreparedQuery(
        lambda key, *ids: User.objects.filter(pk__in=ids).order_by("pk").values_list("first_name")
    )
    emails = PreparedQuery(
        lambda key, pk: User.objects.filter(pk=pk).values_list("email", "date_joined")
    )
    two, one = field_slots(User._meta.pk, int, 2), field_slots(User._meta.pk, int, 1)
    alone = (names.rows(2, two, [people[0].pk, people[2].pk]), emails.rows(1, one, [people[1].pk]))

    with reads_together():
        first = names.send(2, two, [people[0].pk, people[2].pk])
        second = emails.send(1, one, [people[1].pk]).then(lambda rows: rows[0])
        third = names.send(2, two, [people[1].pk, people[2].pk])
        assert first.get() == alone[0]  # read inside the block
    assert second.get() == alone[1][0]  # and after it
    assert third.get() == [("T1",), ("T2",)]
    assert alone == ([("T0",), ("T2",)], [("t1@example.com", people[1].date_joined)])


def test_reads_sent_together_wait_for_one_answer_on_postgresql_and_run_at_once_elsewhere(
    make_user,
):
    from django.db import connection

    person = make_user("pipelined@example.com", first_name="Piped")
    query = PreparedQuery(lambda key, pk: User.objects.filter(pk=pk).values_list("first_name"))
    slots = field_slots(User._meta.pk, int, 1)
    assert query.send(1, slots, [person.pk])._value == [("Piped",)]  # outside: read at once
    with reads_together():
        sent = [query.send(1, slots, [person.pk]) for _ in range(3)]
        if connection.vendor == "postgresql":
            assert connection.connection.pgconn.pipeline_status != 0  # queued in the pipeline
            assert all(later._value is _UNREAD for later in sent)
        else:  # SQLite: no round trips to save, each statement ran as it was sent
            assert [later._value for later in sent] == [[("Piped",)]] * 3
    assert [later.get() for later in sent] == [[("Piped",)]] * 3


def test_an_error_in_reads_sent_together_is_djangos_database_error(make_user):
    from django.db import DataError, ProgrammingError, connection

    person = make_user("bad-id@example.com", first_name="Good")
    query = PreparedQuery(lambda key, pk: User.objects.filter(pk=pk).values_list("first_name"))
    slots = (Exact(marker(int, 0)),)  # bound as given
    # PostgreSQL reads the text as an id on the server (the error comes back with the
    # pipeline's answers); SQLite's module refuses the value before running the statement.
    bad, error = (("not a number", DataError) if connection.vendor == "postgresql"
                  else ({"not": "bindable"}, ProgrammingError))
    with pytest.raises(error):
        with reads_together():
            good = query.send(1, slots, [person.pk])
            query.send(1, slots, [bad]).get()
    assert good.get() == [("Good",)]  # what was read before the error stays read


def test_constants_are_written_in_and_on_postgresql_the_plan_is_kept(make_user):
    from django.db import connection

    people = [make_user(f"c{i}@example.com", first_name=name)
              for i, name in enumerate(["50% off", "50 off", "Other"])]
    # A constant with "%" in it (a LIKE pattern), one bound value, a page.
    query = PreparedQuery(
        lambda key, pk: User.objects.filter(first_name__startswith="50%")
        .exclude(pk=pk).order_by("first_name").values_list("first_name")
    )
    slots = field_slots(User._meta.pk, int, 1)
    for _ in range(8):  # PostgreSQL tries custom plans five times, then keeps a generic one
        assert query.rows("pct", slots, [people[2].pk], page=(0, 5)) == [("50% off",)]
    assert query.rows("pct", slots, [people[0].pk], page=(0, 5)) == []
    assert query.rows("pct", slots, [people[2].pk], page=(1, 5)) == []  # LIMIT, OFFSET bound
    for plan in query._plans.values():  # the pattern in the text, not among the parameters
        assert "LIKE" in plan.sql and "'50" in plan.sql, plan.sql
        assert not any("50" in str(value) for value in plan.params), plan.params
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans FROM pg_prepared_statements "
            "WHERE statement LIKE '%%users_user%%first_name%%LIKE%%'"
        )
        statements = cursor.fetchall()
    first_page = [(text, plans) for text, plans in statements if "LIMIT 5" in text]
    assert len(first_page) == 1
    text, generic_plans = first_page[0]
    assert "$1" in text and "$2" not in text  # the id is bound, the pattern written in
    assert generic_plans > 0  # planned once, then executed
