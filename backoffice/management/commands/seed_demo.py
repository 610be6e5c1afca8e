"""Load the demo data: users first, then each app's demo catalogue. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each entry is a function ``seed(stdout=None)``; later apps add theirs in dependency order.
SEEDERS = ["users.demo.seed", "catalog.demo.seed", "shopping.demo.seed", "orders.demo.seed"]


class Command(BaseCommand):
    help = "Load demo users and data (idempotent: existing rows are kept)."

    def handle(self, *args, **options) -> None:
        for dotted in SEEDERS:
            self.stdout.write(f"Seeding {dotted.rsplit('.', 2)[0]} ...")
            with transaction.atomic():
                import_string(dotted)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
