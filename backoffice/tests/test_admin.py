"""Records nobody edits (task results) offer neither Save nor Delete."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import Failure, Success

pytestmark = pytest.mark.django_db


def _task(model, **fields):
    now = timezone.now()
    return model.objects.create(
        id=f"{model.__name__.lower()}-1",
        name="outbox-sweep",
        func="notifications.tasks.outbox_sweep",
        started=now,
        stopped=now,
        success=model is Success,
        **fields,
    )


@pytest.mark.parametrize("model", [Success, Failure])
def test_task_results_are_read_only(client, staff_user, model):
    task = _task(model)
    name = model._meta.model_name
    client.force_login(staff_user)

    page = client.get(reverse(f"admin:django_q_{name}_change", args=[task.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert reverse(f"admin:django_q_{name}_delete", args=[task.pk]) not in html

    post = client.post(reverse(f"admin:django_q_{name}_change", args=[task.pk]), {"name": "x"})
    delete = client.post(reverse(f"admin:django_q_{name}_delete", args=[task.pk]), {"post": "yes"})
    assert post.status_code == 403 and delete.status_code == 403
    assert model.objects.get(pk=task.pk).name == "outbox-sweep"


def test_failed_tasks_list_offers_resubmit_not_delete(client, staff_user):
    _task(Failure)
    client.force_login(staff_user)

    html = client.get(reverse("admin:django_q_failure_changelist")).content.decode()

    assert 'value="resubmit_task"' in html
    assert 'value="delete_selected"' not in html
