"""The webhook registry: a well-signed event goes to the handler registered for it, a badly
signed one to nobody, an event nobody handles is acknowledged."""

import json

import pytest

from orders import webhooks
from orders.tests.conftest import paystack_signature
from orders.tests.helpers import post_webhook


@pytest.fixture
def registry():
    saved = dict(webhooks._handlers)
    yield webhooks
    webhooks._handlers.clear()
    webhooks._handlers.update(saved)


def test_a_signed_event_reaches_its_handler(client, paystack, registry):
    seen = []
    registry.webhook_handler_register("test.event", seen.append)
    body = json.dumps({"event": "test.event", "data": {"reference": "r-1"}}).encode()

    response = post_webhook(client, body, paystack_signature(body))

    assert response.status_code == 200
    assert seen == [{"reference": "r-1"}]


def test_a_badly_signed_event_reaches_no_handler(client, paystack, registry):
    seen = []
    registry.webhook_handler_register("test.event", seen.append)
    body = json.dumps({"event": "test.event", "data": {"reference": "r-1"}}).encode()

    response = post_webhook(client, body, paystack_signature(body, key="sk_test_wrong"))

    assert response.status_code == 400
    assert seen == []


def test_an_event_nobody_handles_is_acknowledged(client, paystack, registry):
    body = json.dumps({"event": "nobody.cares", "data": {}}).encode()

    assert post_webhook(client, body, paystack_signature(body)).status_code == 200


def test_two_handlers_for_one_event_are_refused(registry):
    registry.webhook_handler_register("test.event", print)
    registry.webhook_handler_register("test.event", print)  # the same one again: harmless

    with pytest.raises(ValueError):
        registry.webhook_handler_register("test.event", repr)
    assert registry.webhook_handler_for("test.event") is print
