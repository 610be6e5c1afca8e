"""Sales → Commission rules: staff set them (the default included); a manufacturer reads the
ones that apply to them and changes nothing."""

import pytest
from django.urls import reverse

from money.tests.earnings import D
from orders.models import CommissionRule

pytestmark = pytest.mark.django_db

RULES = reverse("admin:orders_commissionrule_changelist")
ADD = reverse("admin:orders_commissionrule_add")


def test_staff_set_the_marketplace_default(client, staff_user):
    client.force_login(staff_user)
    assert "Add a rule without category and manufacturer" in client.get(RULES).content.decode()

    response = client.post(ADD, {"category": "", "manufacturer": "", "percent": "12.5",
                                 "flat": "0"})

    assert response.status_code == 302
    rule = CommissionRule.objects.get()
    assert (rule.category, rule.manufacturer, rule.percent, rule.updated_by) == (
        None, None, D("12.50"), staff_user
    )
    assert "Marketplace default" in client.get(RULES).content.decode()
    # A second default is refused by the form, and nothing is added.
    again = client.post(ADD, {"category": "", "manufacturer": "", "percent": "5", "flat": "0"})
    assert again.status_code == 200 and CommissionRule.objects.count() == 1
    over = client.post(reverse("admin:orders_commissionrule_change", args=[rule.pk]),
                       {"category": "", "manufacturer": "", "percent": "101", "flat": "0"})
    assert over.status_code == 200
    assert CommissionRule.objects.get().percent == D("12.50")


def test_a_manufacturer_reads_their_rules_only(
    client, manufacturer_a, manufacturer_b, staff_user
):
    default = CommissionRule.objects.create(percent=D("10"))
    own = CommissionRule.objects.create(manufacturer=manufacturer_a, percent=D("7"))
    other = CommissionRule.objects.create(manufacturer=manufacturer_b, percent=D("3"))
    client.force_login(manufacturer_a)

    response = client.get(RULES)

    assert response.status_code == 200
    assert {r.pk for r in response.context["cl"].result_list} == {default.pk, own.pk}
    assert client.get(reverse("admin:orders_commissionrule_change",
                              args=[other.pk])).status_code in (302, 403, 404)
    refused = client.post(ADD, {"manufacturer": manufacturer_a.pk, "percent": "0", "flat": "0"})
    assert refused.status_code == 403
    change = client.post(reverse("admin:orders_commissionrule_change", args=[own.pk]),
                         {"manufacturer": manufacturer_a.pk, "percent": "0", "flat": "0"})
    assert change.status_code == 403
    assert CommissionRule.objects.get(pk=own.pk).percent == D("7.00")
    assert CommissionRule.objects.count() == 3
