"""Ids: parsing what clients send, and new UUIDs in time order."""

import time
import uuid

from core.ids import as_int, as_uuid, time_ordered_uuid


def test_junk_is_none_and_ids_are_read():
    known = uuid.uuid4()
    assert as_uuid(known) is known
    assert as_uuid(str(known)) == known
    assert as_uuid("not-a-uuid") is None
    assert as_uuid(None) is None
    assert (as_int("12"), as_int(12), as_int(True), as_int("x")) == (12, 12, None, None)


def test_new_uuids_sort_in_the_order_they_were_made():
    before = time.time_ns() // 1_000_000
    made = [time_ordered_uuid() for _ in range(5_000)]
    after = time.time_ns() // 1_000_000

    assert all(type(value) is uuid.UUID for value in made)  # plain, as the database returns
    assert {value.version for value in made} == {7}
    assert {value.variant for value in made} == {uuid.RFC_4122}
    assert made == sorted(made)  # in the same millisecond too
    assert len(set(made)) == len(made)
    # The first 48 bits are the milliseconds since the epoch; ids made within one millisecond
    # take the next ones (the library's way of keeping them in order), never more than one
    # each.
    assert before <= made[0].int >> 80 <= made[-1].int >> 80 <= after + len(made)
    # and as text, as the API writes them, the order holds
    assert [str(value) for value in made] == sorted(str(value) for value in made)
