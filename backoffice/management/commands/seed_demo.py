"""Load the demo data: users first, then each app's demo catalogue. Safe to run again.

The emails and SMS the demo's history queued are counted, not printed one by one, when they go
to the development backends (``notifications.demo.outbox_send_counted``)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from notifications.demo import outbox_send_counted
from notifications.selectors import outbound_last_id

# Each entry is a function ``seed(stdout=None)``; later apps add theirs in dependency order.
SEEDERS = [
    "users.demo.seed",
    "catalog.demo.seed",
    "shopping.demo.seed",
    "orders.demo.seed",
    "money.demo.seed",
    "reviews.demo.seed",
    # Last: each user keeps only their newest few notifications unread.
    "notifications.demo.seed",
]


class Command(BaseCommand):
    help = "Load demo users and data (idempotent: existing rows are kept)."

    def handle(self, *args, **options) -> None:
        # The demo's own messages are the outbox rows written from here on.
        outbox_before = outbound_last_id()
        for dotted in SEEDERS:
            self.stdout.write(f"Seeding {dotted.rsplit('.', 2)[0]} ...")
            seeder = import_string(dotted)
            if getattr(seeder, "own_transactions", False):
                # It works through services that open their own durable transactions (the
                # checkout); wrapping it in one would refuse them.
                seeder(stdout=self.stdout)
                continue
            with transaction.atomic():
                seeder(stdout=self.stdout)
        outbox = outbox_send_counted(after_id=outbox_before)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        if summary := outbox.summary():
            self.stdout.write(summary)
