"""The one status-machine helper: the declared table answers, and a move is a conditional
update (a refused move writes nothing and names the current status)."""

import pytest

from core.transitions import StatusMoves
from notifications.models import OutboundMessage

MOVES = StatusMoves("status", {"a": {"b", "c"}, "b": {"c"}, "c": set()})


def test_the_table_answers_each_question():
    assert MOVES.allows("a", "b") and MOVES.allows("b", "c")
    assert not MOVES.allows("b", "a") and not MOVES.allows("c", "a")
    assert not MOVES.allows("unknown", "a")
    assert MOVES.targets("a") == {"b", "c"}
    assert MOVES.targets("c") == frozenset()
    assert MOVES.sources("c") == {"a", "b"}
    assert MOVES.sources("a") == frozenset()


@pytest.mark.django_db
def test_a_move_is_written_only_from_an_allowed_status():
    status = OutboundMessage.Status
    moves = StatusMoves("status", {status.PENDING: {status.SENDING}, status.SENDING: {status.SENT}})
    message = OutboundMessage.objects.create(
        channel=OutboundMessage.Channel.EMAIL, recipient="a@example.com", body="Hello"
    )

    assert moves.move(OutboundMessage, pk=message.pk, to=status.SENDING, attempts=1) is None
    message.refresh_from_db()
    assert (message.status, message.attempts) == (status.SENDING, 1)

    assert moves.move(OutboundMessage, pk=message.pk, to=status.FAILED, attempts=9) == "sending"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (status.SENDING, 1)  # refused: nothing written
