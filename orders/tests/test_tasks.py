"""django-q2 tasks of the orders app."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_sweep_is_scheduled_every_minute():
    from django_q.models import Schedule

    sweep = Schedule.objects.get(func="orders.tasks.checkouts_expire_due_task")
    assert (sweep.schedule_type, sweep.minutes, sweep.repeats) == (Schedule.MINUTES, 1, -1)
