"""The OpenAPI schema fuzzed with schemathesis: every documented operation, as an anonymous
caller, a customer, a manufacturer and staff, with generated valid and invalid input.

It proves two things for each answer, to valid and invalid input alike: the server did not fail
(no 5xx), and the answer is what the schema says (status code documented, body, headers and
content type as documented). The run is bounded (25 generated examples per operation and role,
derandomized so CI sees the same cases every time; schemathesis's deterministic boundary cases
for the anonymous caller and staff, see ``BOUNDARY_ROLES``); the app is called in process
(WSGI). ``make fuzz`` runs many more (docs/benchmarks.md#api-fuzzing).

What there is to find (three users, a product, a review, an order) and each role's access token
are made once for the module (``fuzz_world``, ``access_tokens``) in a transaction rolled back at
its end; each case (an operation and a role) runs in a savepoint inside it, rolled back after
it, and first checks it starts from the module's rows. Making them for every case was about
half the module's CPU.

What it must be able to find, measured with the fixes reverted in a scratch copy: a 64-bit id
past the range (``?seller=9223372036854775808``) is a boundary case of the int64 bounds the
schema documents, tried whatever the example count; an empty term in a comma-separated
parameter (``?ordering=,``) comes from ``flatmap_query`` below: with it 20 derandomized examples
of ``GET /products/list/`` reached it and 6 did not; without it not even 30 did. Both were
measured again after the boundary cases were kept to two roles: the id past the range is found
as the anonymous caller and as staff, ``?ordering=,`` as all four roles.
"""

import os
import time
from typing import NamedTuple

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from catalog.models import Category, Product, StockMovement, Variation
from catalog.services import category_get_or_create_path, product_create
from conftest import PASSWORD
from orders.models import Checkout, Order, OrderItem
from orders.services import OrderLineRequest, order_place
from reviews.models import Review
from reviews.services import review_create
from users.models import User
from users.services import user_create
from users.tests.mfa_helpers import totp_give

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as conftest's _test_settings
ROLES = ("anonymous", "customer", "manufacturer", "staff")
# Per operation and role. The suite's run is bounded; `make fuzz` runs many more
# (FUZZ_EXAMPLES; figures in docs/benchmarks.md#api-fuzzing).
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES") or 25)
# FUZZ_SEED: a different (still reproducible) set of examples than the derandomized default.
FUZZ_SEED = os.environ.get("FUZZ_SEED")

# Server errors and every "the answer is not what the schema says" check. Not
# negative_data_rejection: it counts DRF's documented coercions of form and JSON input ("0" for
# false in multipart, 5 for "5") as failures; the bounds that matter are tested by name
# (catalog/tests/api/test_limits.py, backoffice/tests/test_api_limits.py).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).exclude(
    # schemathesis 4.32 cannot generate this operation's body (a oneOf of two multipart
    # profiles with a binary picture: "ValueError: Unsupported type: 'Binary'" inside its
    # generator, before any request is made). users/tests cover it by hand.
    method="PATCH",
    path="/accounts/customer/",
)


def _comma_separated(operation) -> list[str]:
    """The operation's query parameters sent as one comma-separated value (``ordering=a,b``)."""
    return [
        parameter.name
        for parameter in operation.query
        if parameter.definition.get("schema", {}).get("type") == "array"
        and parameter.definition.get("explode") is False
    ]


@schema.hook
def flatmap_query(context, query):
    """Also try the edges of a comma-separated value that the schema's types cannot express:
    an empty term (``ordering=,``, ``ordering=price,``), which a parser splitting on commas
    sees as ``""`` (a 500 the generated input alone took hundreds of examples to reach)."""
    names = _comma_separated(context.operation)
    if not names:
        return st.just(query)
    query = query or {}
    edges = st.sampled_from([",", "{},", ",{}", "-"])
    return st.one_of(
        st.just(query),
        st.tuples(st.sampled_from(names), edges).map(
            lambda pick: {**query, pick[0]: pick[1].format(_first_term(query.get(pick[0])))}
        ),
    )


def _first_term(value) -> str:
    return str(value[0]) if isinstance(value, list) and value else str(value or "")


@pytest.fixture(autouse=True)
def _connection_kept_open():
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's test client disconnects the same receiver."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker) -> dict:
    """Something to find, made once for the module: a customer, a manufacturer and staff; a
    public product with two sizes, a review and an order. It lives in a transaction open for the
    whole module and rolled back at its end, so nothing reaches the next module; each case runs
    in its own savepoint inside it (the ``db`` fixture), so a case's writes are rolled back and
    the next case starts from this same state."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            users = {
                "customer": user_create(
                    email="buyer@martaf.test", password=PASSWORD, is_customer=True
                ),
                "manufacturer": user_create(
                    email="maker.a@martaf.test",
                    password=PASSWORD,
                    is_manufacturer=True,
                    company_name="Maker A",
                ),
                "staff": user_create(
                    email="staff@martaf.test",
                    password=PASSWORD,
                    is_staff=True,
                    is_superuser=True,
                    first_name="Sam",
                ),
            }
            totp_give(users["staff"])  # as the backoffice requires of staff
            _catalogue(
                manufacturer=users["manufacturer"], customer=users["customer"], staff=users["staff"]
            )
            yield World(users=users, rows=_rows())
            transaction.set_rollback(True)


class World(NamedTuple):
    users: dict
    rows: dict  # how many of each the world holds, which every case must start from


def _rows() -> dict:
    models = (User, Category, Product, Variation, StockMovement, Review, Checkout, Order, OrderItem)
    return {model.__name__: model.objects.count() for model in models}


def _catalogue(*, manufacturer, customer, staff):
    category = category_get_or_create_path(names=["Fashion", "Shoes"])
    product = product_create(
        manufacturer=manufacturer,
        actor=staff,
        name="Boot",
        price=100,
        category=category,
        variations=[{"size": "42", "stock": 10}, {"size": "43", "stock": 10}],
        approve=True,
    )
    review_create(product=product, author=customer, rating=5, comment="Fine boots.")
    order_place(
        buyer=customer,
        lines=[
            OrderLineRequest(
                product_id=product.pk, variation_id=product.variations.first().pk, quantity=1
            )
        ],
        payment_method="CASH",
    )


@pytest.fixture(scope="module")
def access_tokens(fuzz_world):
    """``tokens(role)``: a role's access token, minted once and again only when half its
    lifetime has passed (a slow run must not fuzz the later operations as a signed-out caller).
    An access token alone is stored nowhere, so the cached one stays valid whatever a case's
    savepoint rolls back; the users' passwords, which it carries a hash of, are restored too."""
    minted: dict[str, tuple[float, str]] = {}
    fresh_for = api_settings.ACCESS_TOKEN_LIFETIME.total_seconds() / 2

    def token(role: str) -> str:
        if role not in minted or time.monotonic() - minted[role][0] > fresh_for:
            minted[role] = (time.monotonic(), str(AccessToken.for_user(fuzz_world.users[role])))
        return minted[role][1]

    return token


@pytest.fixture
def role_headers(role, db, fuzz_world, access_tokens) -> dict:
    # The previous case's writes were rolled back with its savepoint (a few counts, ~1 ms).
    assert _rows() == fuzz_world.rows
    if role not in fuzz_world.users:
        return {}
    return {"Authorization": f"Bearer {access_tokens(role)}"}


def _fuzzed(phases):
    """The test's Hypothesis settings: bounded, derandomized (or FUZZ_SEED), no shrinking (a
    failure is reported as found, so the run stays bounded when one appears)."""

    def decorate(test):
        if FUZZ_SEED:
            test = seed(int(FUZZ_SEED))(test)
        return settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=FUZZ_SEED is None,
            database=None,
            phases=phases,
            suppress_health_check=list(HealthCheck),
        )(test)

    return decorate


# schemathesis's deterministic boundary cases (the explicit phase: the int64 bound + 1, empty
# and over-long values ...) are most of the run's CPU. They run for the anonymous caller (the
# storefront's open surface) and for staff (who reach every operation's input parsing); the
# customer and the manufacturer get the generated examples, the comma-separated edges of
# ``flatmap_query`` included, which is where a role's own branches differ.
BOUNDARY_ROLES = ("anonymous", "staff")
GENERATED_ROLES = tuple(role for role in ROLES if role not in BOUNDARY_ROLES)


@pytest.mark.parametrize("role", BOUNDARY_ROLES)
@schema.parametrize()
@_fuzzed([Phase.explicit, Phase.generate])
def test_every_operation_answers_as_documented_without_server_errors(case, role, role_headers):
    case.call_and_validate(headers=role_headers, checks=CHECKS)


@pytest.mark.parametrize("role", GENERATED_ROLES)
@schema.parametrize()
@_fuzzed([Phase.generate])
def test_every_operation_answers_as_documented_to_each_role(case, role, role_headers):
    case.call_and_validate(headers=role_headers, checks=CHECKS)
