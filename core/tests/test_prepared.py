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
