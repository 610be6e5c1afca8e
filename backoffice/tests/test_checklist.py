"""A newly approved manufacturer's setup checklist on the dashboard (backoffice.checklist): four
open items at first, each ticking after its step, the card gone when all are done; read in one
query; nobody else has one."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from backoffice.checklist import setup_checklist
from catalog.services import category_get_or_create_path, product_create
from conftest import PASSWORD
from core.roles import ManufacturerStatus
from imports.models import ImportStatus, ProductImport
from money.services.bank_accounts import bank_account_change
from users.models import User
from users.onboarding import manufacturer_decide
from users.services import user_register

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
KEYS = ["profile", "bank", "product", "import"]


@pytest.fixture
def newcomer(staff_user) -> User:
    """Signed up as a manufacturer, then approved by staff: nothing set up yet."""
    user = user_register(email="newcomer@martaf.test", password=PASSWORD, is_manufacturer=True)
    return manufacturer_decide(user=user, actor=staff_user, decision="approve")


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _open_items(client) -> list[str]:
    response = client.get(INDEX)
    assert response.status_code == 200
    checklist = response.context["setup_checklist"]
    if checklist is None:
        assert "Get ready to sell" not in response.content.decode()
        return []
    return [item.key for item in checklist["items"] if not item.done]


def test_each_step_ticks_and_the_card_goes_when_all_are_done(client, newcomer):
    client.force_login(newcomer)

    first = client.get(INDEX)
    html = first.content.decode()
    assert "Get ready to sell: 0 of 4 done" in html
    assert [item.key for item in first.context["setup_checklist"]["items"]] == KEYS
    assert _open_items(client) == KEYS

    saved = client.post(
        reverse("admin:onboarding_profile"),
        {
            "display_name": "Newcomer Crafts",
            "first_name": "Esi",
            "last_name": "Owusu",
            "phone": "+233201112233",
            "profile_picture": _png(),
        },
    )
    assert saved.status_code == 302
    assert _open_items(client) == ["bank", "product", "import"]

    bank_account_change(
        manufacturer=newcomer, bank_code="058", account_number="0123456789", password=None
    )
    assert _open_items(client) == ["product", "import"]

    product_create(
        manufacturer=newcomer,
        actor=newcomer,
        name="Woven basket",
        price=Decimal("25.00"),
        category=category_get_or_create_path(names=["Home"]),
        stock=3,
    )
    assert _open_items(client) == ["import"]

    ProductImport.objects.create(
        manufacturer=newcomer,
        created_by=newcomer,
        original_name="more.csv",
        status=ImportStatus.FAILED,
    )
    assert _open_items(client) == ["import"]  # a failed import is not done
    ProductImport.objects.create(
        manufacturer=newcomer,
        created_by=newcomer,
        original_name="all.csv",
        status=ImportStatus.COMPLETED,
    )
    assert _open_items(client) == []


def test_the_profile_item_names_what_is_missing(newcomer):
    User.objects.filter(pk=newcomer.pk).update(first_name="Esi", phone="+233201112233")

    profile = setup_checklist(newcomer)[0]

    assert not profile.done
    # The company name is still the email it defaulted to, and there is no picture.
    assert profile.hint == "Missing: company name, logo or picture."


def test_every_item_links_to_a_page_the_manufacturer_can_open(client, newcomer):
    client.force_login(newcomer)

    for item in setup_checklist(newcomer):
        assert client.get(item.href).status_code == 200, item.href


def test_the_company_profile_page_has_no_bank_fields(client, newcomer):
    client.force_login(newcomer)

    page = client.get(reverse("admin:onboarding_profile")).content.decode()
    posted = client.post(
        reverse("admin:onboarding_profile"),
        {"display_name": "Newcomer Crafts", "bank_code": "058", "account_number": "0123456789"},
    )

    # Bank details change on the money page, which asks for the second factor.
    assert 'name="display_name"' in page and 'name="account_number"' not in page
    assert posted.status_code == 302
    assert not newcomer.bank_accounts.exists()


def test_the_state_is_one_query(newcomer, django_assert_num_queries):
    with django_assert_num_queries(1):
        items = setup_checklist(newcomer)
    assert len(items) == 4


@pytest.mark.parametrize("who", ["staff_user", "customer", "pending"])
def test_nobody_else_has_a_checklist(request, who, make_user):
    if who == "pending":
        user = user_register(email="waiting@martaf.test", password=PASSWORD, is_manufacturer=True)
        assert user.manufacturer_status == ManufacturerStatus.PENDING
    else:
        user = request.getfixturevalue(who)

    assert setup_checklist(user) == []


def test_staff_dashboard_has_no_checklist(client, staff_user):
    client.force_login(staff_user)

    response = client.get(INDEX)

    assert "setup_checklist" not in response.context
    assert "Get ready to sell" not in response.content.decode()
