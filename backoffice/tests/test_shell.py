"""The rest of the shell: demo data, API docs, JSON errors under the API prefixes."""

import pytest
from django.core.management import call_command

from catalog.demo import CATALOGUE
from catalog.models import Category, Product, ProductImage, StockMovement
from orders.models import Order
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
    assert Order.objects.count() == 12  # placed once, through the order service
    assert StockMovement.objects.filter(reason="order").exists()
    for demo in DEMO_USERS:
        assert client.login(username=demo.email, password=demo.password), demo.email
        client.logout()


def test_openapi_schema_and_swagger_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.parametrize("path", ["/api/nothing-here/", "/accounts/nothing-here", "/products/x/"])
def test_unknown_api_paths_answer_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
