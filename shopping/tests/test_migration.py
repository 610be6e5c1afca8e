"""``shopping.0003_standard_delivery_default`` on a database that already has shipping methods:
a paid "Standard delivery" stays as it was (paid methods apply only when named) and a free one
is added as the default; a free "Standard delivery" becomes the default itself; a default staff
chose is kept. (A fresh install's default is asserted on the suite's own database, in
``test_shipping_methods.py``.)

Each upgrade runs on a database of its own, in a process of its own (``core.tests.scratch_db``).
"""

from django.core.management import call_command

from core.tests.scratch_db import run_story

BEFORE = "0002_shippingmethod_default"


def _upgrade(rows: list[dict]) -> list[tuple]:
    """Back to before the data migration, these methods only, then migrate: the methods after."""
    from shopping.models import ShippingMethod

    call_command("migrate", "shopping", BEFORE, verbosity=0)
    ShippingMethod.objects.all().delete()
    for row in rows:
        ShippingMethod.objects.create(estimated_days=5, **row)
    call_command("migrate", "shopping", verbosity=0)
    return [
        [name, str(cost), description, is_active, is_default]
        for name, cost, description, is_active, is_default in ShippingMethod.objects.order_by(
            "pk"
        ).values_list("name", "cost", "description", "is_active", "is_default")
    ]


def upgrade_story() -> dict:
    call_command("migrate", verbosity=0)
    return {
        "paid_standard": _upgrade(
            [{"name": "Standard delivery", "cost": 1500}, {"name": "Express", "cost": 3500}]
        ),
        "free_standard": _upgrade(
            [{"name": "Express", "cost": 3500},
             {"name": "Standard delivery", "cost": 0, "is_active": False}]
        ),
        "chosen_default": _upgrade(
            [{"name": "Collect", "cost": 0, "is_default": True},
             {"name": "Standard delivery", "cost": 1500}]
        ),
    }


def test_the_upgrade_marks_a_free_standard_delivery_default_and_never_a_paid_one():
    story = run_story("shopping.tests.test_migration:upgrade_story")
    assert story["paid_standard"] == [
        ["Standard delivery", "1500.00", "", True, False],
        ["Express", "3500.00", "", True, False],
        ["Standard delivery", "0.00", "Included in the price", True, True],
    ]
    assert story["free_standard"] == [
        ["Express", "3500.00", "", True, False],
        ["Standard delivery", "0.00", "Included in the price", True, True],
    ]
    assert story["chosen_default"] == [
        ["Collect", "0.00", "", True, True],
        ["Standard delivery", "1500.00", "", True, False],
    ]
