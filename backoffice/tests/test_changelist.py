"""The list pages' shortcuts (``backoffice.changelist``) change nothing on the page: each list
renders the same, byte for byte, with them and with unfold's own tags."""

import re

import pytest
from django.urls import reverse
from unfold import admin as unfold_admin
from unfold.templatetags import unfold_list

from backoffice import changelist
from orders.services import order_lines_ship, order_status_change
from orders.tests.helpers import line, place

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return CSRF.sub("csrf", response.content.decode())


@pytest.fixture
def unfold_own(monkeypatch):
    """unfold's own list tags, as before ``changelist.install()``."""

    def use():
        monkeypatch.setattr(unfold_list, "result_headers", changelist._result_headers)
        monkeypatch.setattr(unfold_list, "display_for_label", changelist._display_for_label)
        monkeypatch.setattr(unfold_admin, "checkbox", unfold_admin.checkbox.original)

    return use


def test_the_shortcuts_are_installed():
    assert unfold_list.result_headers is changelist.result_headers_once
    assert unfold_list.display_for_label is changelist.label_once
    assert isinstance(unfold_admin.checkbox, changelist.RowCheckbox)


@pytest.mark.parametrize("who", ["staff_user", "manufacturer_a"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:orders_order_changelist"),
        reverse("admin:orders_orderitem_changelist"),
        reverse("admin:orders_orderitem_changelist") + "?shipped=no",
    ],
)
def test_lists_render_the_same_as_with_unfolds_own_tags(
    client, request, unfold_own, staff_user, customer, phone, shirt, shirt_m, who, url
):
    first = place(customer, line(phone, 2), line(shirt, 1, shirt_m))
    second = place(customer, line(phone, 1))
    order_status_change(order=second, to="processing", actor=staff_user)
    order_lines_ship(order=second, actor=phone.manufacturer)
    place(customer, line(shirt, 1, shirt_m))
    client.force_login(request.getfixturevalue(who))

    fast = _page(client, url)
    fast_again = _page(client, url)  # from what the shortcuts kept
    unfold_own()
    own = _page(client, url)

    assert fast == own
    assert fast_again == own
    assert first.number in own  # the rows are there
    assert "Not yet" in own or "Pending" in own  # with their badges


def test_a_row_checkbox_carries_its_rows_id_escaped():
    box = unfold_admin.checkbox
    plain = box.original
    assert 'value="17"' in box.render("_selected_action", "17")
    for value in ["17", "9b2f-ab", 'a"<b>']:
        assert box.render("_selected_action", value) == plain.render("_selected_action", value)
