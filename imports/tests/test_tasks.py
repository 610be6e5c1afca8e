"""The import's django-q2 tasks: the sweeper is scheduled (under the tasks' path in this app)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_sweeper_is_scheduled_every_five_minutes():
    from django_q.models import Schedule

    from imports.tasks import product_imports_recover_task

    schedule = Schedule.objects.get(func="imports.tasks.product_imports_recover_task")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 5, -1)
    assert product_imports_recover_task() == 0
