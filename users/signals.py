"""Signals other apps listen to. The users layer sits below the catalogue, so it cannot call the
catalogue itself; it says what happened and the catalogue reacts (catalog.apps)."""

from django.dispatch import Signal

# A manufacturer's status changed (approved, rejected, suspended, reinstated): which products
# the storefront may show changed with it. Sent with ``users``: the accounts decided.
manufacturer_status_changed = Signal()
