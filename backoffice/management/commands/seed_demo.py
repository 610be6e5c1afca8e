"""Load the demo data: users first, then each app's demo catalogue. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

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
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
