"""Staff write the commission rules (``orders.commission`` reads them at placement)."""

from django.db import transaction

from orders.models import CommissionRule
from users.models import User


@transaction.atomic
def commission_rule_save(*, rule: CommissionRule, actor: User) -> CommissionRule:
    """Save a rule staff added or changed (validated by its form: bounds, one rule per
    category/manufacturer pair), recording who. Lines already placed keep their commission."""
    rule.updated_by = actor
    rule.save()
    return rule
