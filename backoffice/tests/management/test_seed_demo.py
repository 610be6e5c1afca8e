"""The demo data (``manage.py seed_demo``): it can run twice, its sign-ins work, and every screen
has something to show."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from catalog.demo import CATALOGUE
from catalog.models import Category, Product, ProductImage, StockMovement, Variation
from money.models import Payout, PayoutRun, Refund
from money.selectors import order_split
from notifications.demo import UNREAD_KEPT
from notifications.models import Notification, OutboundMessage
from notifications.services import email_queue, sms_queue
from orders.models import Checkout, Order, OrderStatus
from reviews.models import Review
from users.demo import DEMO_USERS
from users.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_the_demo_sign_ins_work(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))

    assert User.objects.count() == len(DEMO_USERS)
    assert Product.objects.count() == len(CATALOGUE)
    assert Category.objects.filter(depth=3).count() >= 10
    assert Product.objects.filter(approval_status="approved").count() >= 20
    assert ProductImage.objects.count() == len(CATALOGUE)
    assert StockMovement.objects.filter(reason="order").exists()
    for demo in DEMO_USERS:
        assert client.login(username=demo.email, password=demo.password), demo.email
        client.logout()


def test_the_demo_shows_every_screen_at_work():
    call_command("seed_demo", stdout=open("/dev/null", "w"))

    # Orders come from the storefront's path: checkouts split per manufacturer.
    orders = Order.objects.all()
    assert orders.count() >= 40 and not orders.filter(checkout__isnull=True).exists()
    assert Checkout.objects.annotate(n=Count("orders")).filter(n__gt=1).exists()
    # Spread over the last 90 days, not one spike: the 7- and 30-day figures differ.
    days = {o.created_at.date() for o in orders}
    now = timezone.now()
    assert len(days) >= 25
    assert min(days) <= (now - timedelta(days=60)).date()
    assert (
        orders.filter(created_at__gte=now - timedelta(days=7)).count()
        < orders.filter(created_at__gte=now - timedelta(days=30)).count()
    )
    assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values)
    assert not orders.filter(status="delivered", tracking_number="").exists()
    # Reviews: published ones in both rating-trend windows, and some awaiting moderation.
    published = Review.objects.filter(status="published")
    assert published.filter(created_at__gte=now - timedelta(days=30)).exists()
    assert published.filter(
        created_at__lt=now - timedelta(days=30), created_at__gte=now - timedelta(days=60)
    ).exists()
    assert Review.objects.filter(status="pending").exists()
    assert OutboundMessage.objects.filter(status="failed").exists()
    # A manufacturer who signed up and waits for staff's decision.
    assert User.objects.filter(is_manufacturer=True, manufacturer_status="pending").exists()
    # Every variation has a SKU; a few (not most) are low on stock.
    variations = Variation.objects.all()
    assert not variations.filter(sku="").exists()
    low = variations.low_stock().count()
    assert 0 < low < variations.count() / 2
    # Money: a payout run approved and paid, one refund, and no order out of balance.
    assert PayoutRun.objects.filter(status="approved").exists()
    assert Payout.objects.filter(status="paid").exists()
    assert Refund.objects.filter(status="processed").count() == 1
    assert all(order_split(order=o).balanced for o in Order.objects.select_related("checkout"))
    # Everyone starts with a handful of unread notifications, not the whole history's.
    unread = Notification.objects.filter(is_read=False).values("user_id").annotate(n=Count("pk"))
    assert unread and max(row["n"] for row in unread) == UNREAD_KEPT
    assert (
        Notification.objects.filter(is_read=True).count()
        > Notification.objects.filter(is_read=False).count()
    )


def test_the_demo_messages_are_counted_on_the_console_and_later_ones_printed(
    settings, capsys, caplog, django_capture_on_commit_callbacks
):
    """With the development backends (email on the console, SMS in the log) the demo's
    hundreds of messages end "sent" with one count line instead of a line each; a message sent
    afterwards, while the site is used, prints its one line."""
    settings.EMAIL_BACKEND = "core.mail.OneLineConsoleBackend"
    settings.SMS_BACKEND = "notifications.sms.LoggingSMSBackend"
    out = io.StringIO()

    with caplog.at_level(logging.INFO):
        call_command("seed_demo", stdout=out)

    sent = OutboundMessage.objects.filter(status="sent")
    emails, texts = sent.filter(channel="email").count(), sent.filter(channel="sms").count()
    assert emails > 100 and texts > 10
    assert not OutboundMessage.objects.filter(status="pending").exists()
    assert OutboundMessage.objects.filter(status="failed").count() == 1  # the demo's own
    lines = out.getvalue().splitlines()
    assert lines[-2:] == [
        "Demo data is ready.",
        f"Demo data: {emails} emails and {texts} SMS sent to the development outbox, not printed "
        "one by one: read them in the admin under Communication → Email & SMS outbox.",
    ]
    assert not [line for line in lines if line.startswith(("email to", "SMS to"))]
    console = capsys.readouterr().out
    assert "email to" not in console
    assert not [r for r in caplog.records if "SMS to" in r.getMessage()]

    # Later messages (django-q2 runs inline in tests) print one line each, as the worker would.
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            to="ama@example.com", subject="Your order", template="emails/notification", context={}
        )
        sms_queue(to="+233201000003", body="MARTAF: Your order\nshipped")
    assert capsys.readouterr().out == 'email to ama@example.com: "Your order" (html)\n'
    assert [r.getMessage() for r in caplog.records if r.name == "notifications.sms"] == [
        'SMS to +233201000003: "MARTAF: Your order shipped"'
    ]
