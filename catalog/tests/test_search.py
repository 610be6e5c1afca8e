"""Full-text product search (catalog.search) on SQLite (FTS5) and PostgreSQL (tsvector): the
semantics the storefront's ``?search=`` promises, and that the index follows every way products
are written (save, QuerySet.update, delete, the CSV import's bulk insert)."""

import pytest
from django.db import connection

from catalog.models import Category, Product
from catalog.search import products_matching, search_words
from catalog.services import product_approve, product_delete
from catalog.tests.api.listing_queries import LIST_QUERIES
from imports.tests.uploads import HEADER, run_import

pytestmark = pytest.mark.django_db

OPERATOR_INPUTS = [
    '"', '""', "*", "shirt*", "AND", "OR", "NOT", "shirt AND", "NEAR(", "NEAR(shirt, 2)", ":",
    "name:shirt", "&", "!", "'", "shirt's", "^", "-", "(", ")", "{}", "\\", "%", "_", "a|b",
    "<->", "shirt:*", "'shirt':*", "\x7f", "café'\"*&",
]


@pytest.fixture
def shop(manufacturer_a, phones, shoes, make_product, staff_user):
    def publish(category, name, description=""):
        product = make_product(manufacturer_a, category=category, name=name,
                               description=description)
        return product_approve(product=product, actor=staff_user)

    return {
        "tee": publish(shoes, "Cotton shirt", "Soft, for the beach"),
        "basket": publish(shoes, "Woven basket", "Handmade in Bolgatanga"),
        "cafe": publish(phones, "Café speaker", "Crème finish, Bluetooth"),
        "phone": publish(phones, "Pixel phone", "An Android phone with a big screen"),
    }


def _found(text: str) -> set[str]:
    return set(products_matching(Product.objects.all(), text).values_list("name", flat=True))


def _listed(api_client, **params) -> list[str]:
    response = api_client.get("/products/list/", params)
    assert response.status_code == 200, response.content
    return [p["name"] for p in response.json()["results"]]


def test_every_word_must_match_in_name_or_description(shop):
    assert _found("android phone") == {"Pixel phone"}
    assert _found("pixel screen") == {"Pixel phone"}
    assert _found("android basket") == set()


def test_each_word_matches_as_a_word_prefix_not_inside_a_word(shop):
    assert _found("bask") == {"Woven basket"}
    assert _found("blue") == {"Café speaker"}
    assert _found("asket") == set()  # a substring inside a word is not a match


def test_a_prefix_of_any_length_finds_its_words(shop):
    # SQLite answers prefixes of 1-10 characters from prefix indexes, longer ones from the
    # terms: the same answers either way, on both databases.
    for end in range(2, len("bolgatanga") + 1):
        assert _found("bolgatanga"[:end]) == {"Woven basket"}, end
    # beach, basket, Bluetooth, big
    assert _found("b") == {"Cotton shirt", "Woven basket", "Café speaker", "Pixel phone"}
    assert _found("bluetoot") == {"Café speaker"}
    assert _found("bolgatangas") == {"Woven basket"}  # stemmed, past the longest prefix index
    assert _found("bolgatangax") == set()


def test_english_stemming_finds_plurals_both_ways(shop):
    assert _found("shirts") == {"Cotton shirt"}
    assert _found("baskets") == {"Woven basket"}
    assert _found("phones") == {"Pixel phone"}


def test_case_and_accents_do_not_matter(shop):
    assert _found("CAFE") == {"Café speaker"}
    assert _found("café") == {"Café speaker"}
    assert _found("creme") == {"Café speaker"}
    assert _found("CRÈME Speaker") == {"Café speaker"}


def test_small_words_are_words_like_any_other_on_both_databases(shop):
    # No stop-word list on either side: "for the" must be in the text.
    assert _found("for the beach") == {"Cotton shirt"}
    assert _found("the pixel") == set()


def test_blank_search_is_no_filter_and_punctuation_only_matches_nothing(shop):
    assert _found("") == _found("   \t") == set(Product.objects.values_list("name", flat=True))
    assert _found("&!*") == set()
    assert search_words("  Crème-brûlée, T_shirt!! crème ") == ["crème", "brûlée", "t", "shirt"]


@pytest.mark.parametrize("text", OPERATOR_INPUTS)
def test_operator_characters_are_harmless(api_client, shop, text):
    names = _listed(api_client, search=text)
    assert set(names) <= {p.name for p in shop.values()}
    if text in ("shirt*", "shirt:*", "'shirt':*"):  # the word itself still counts
        assert names == ["Cotton shirt"]


def test_api_search_keeps_the_requested_order(api_client, shop, make_product, manufacturer_a,
                                              phones, staff_user):
    cheap = make_product(manufacturer_a, category=phones, name="Basic phone", price="10.00")
    product_approve(product=cheap, actor=staff_user)

    assert _listed(api_client, search="phone") == ["Basic phone", "Pixel phone"]  # newest first
    assert _listed(api_client, search="phon", ordering="-price") == ["Pixel phone", "Basic phone"]
    assert _listed(api_client, search="zzz") == []


def test_a_renamed_product_is_found_by_its_new_name_only(shop):
    tee = shop["tee"]
    tee.name = "Linen tunic"
    tee.save()
    assert _found("tunic") == {"Linen tunic"}
    assert _found("cotton") == set()

    Product.objects.filter(pk=tee.pk).update(description="Kente pattern")
    assert _found("kente") == {"Linen tunic"}
    assert _found("beach") == set()


def test_a_deleted_product_leaves_no_match(shop, staff_user):
    product_delete(product=shop["basket"], actor=staff_user)
    assert _found("basket") == set()
    assert _found("bolgatanga") == set()
    Product.objects.filter(pk=shop["phone"].pk).delete()
    assert _found("android") == set()
    assert _found("speaker") == {"Café speaker"}


def test_products_of_a_bulk_import_are_searchable(manufacturer_a):
    text = HEADER + (
        "tee,Cotton tee,Soft kente weave,120.00,10,Fashion > Shirts,true,M,Black,TEE-M,10,3,\n"
        "tee,,,,,,,L,Black,TEE-L,4,3,\n"
        "shea,Shea butter,Unrefined,65,,Beauty > Skincare,true,,,SHEA,48,,\n"
    )
    run_import(manufacturer_a, text)
    assert _found("kente tee") == {"Cotton tee"}
    assert _found("butters") == {"Shea butter"}

    run_import(manufacturer_a, text.replace("Cotton tee", "Linen tee"))  # an update in place
    assert _found("tee") == {"Linen tee"}
    assert _found("cotton") == set()


def test_a_search_list_runs_a_fixed_number_of_queries(api_client, shop, django_assert_num_queries):
    # As every list variant in test_catalogue_speed: version, count, the page's products,
    # images, variations, reviews, category ancestors. The match is part of the count and the
    # page's queries.
    with django_assert_num_queries(LIST_QUERIES):
        assert _listed(api_client, search="pixel android phones") == ["Pixel phone"]


def test_the_index_is_in_step_with_the_products_after_all_migrations(shop):
    """Guards the caveats of migration 0008: a later migration that rebuilds catalog_product
    (SQLite) or drops the trigger would leave the index stale."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'catalog_product' ORDER BY name")
            assert [r[0] for r in cursor.fetchall()] == [
                "catalog_product_search_delete", "catalog_product_search_insert",
                "catalog_product_search_update",
            ]
            # FTS5 compares its index (prefix indexes included) with the content table;
            # raises if they differ.
            cursor.execute("INSERT INTO catalog_product_search(catalog_product_search, rank) "
                           "VALUES ('integrity-check', 1)")
            # Every word is searched as a prefix: the short ones have indexes of their own.
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'catalog_product_search'")
            assert "prefix='1 2 3 4 5 6 7 8 9 10'" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT count(*) FROM catalog_product WHERE search_vector IS DISTINCT "
                           "FROM to_tsvector('catalog_english'::regconfig, "
                           "COALESCE(name, '') || ' ' || COALESCE(description, ''))")
            assert cursor.fetchone()[0] == 0


def test_the_search_is_served_by_the_index(shop):
    queryset = products_matching(Product.objects.order_by(), "bask").values("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a 4-row table: only "can it"
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Bitmap Index Scan on catalog_prod_search" in plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(row[3] for row in cursor.fetchall())
            assert "SCAN catalog_product_search VIRTUAL TABLE" in plan
            assert "SEARCH catalog_product USING INTEGER PRIMARY KEY (rowid=?)" in plan


def test_search_in_a_subquery_names_the_product_table_by_its_alias(shop, phones):
    matching = products_matching(Product.objects.all(), "phone").values("category_id")
    assert list(Category.objects.filter(pk__in=matching)) == [phones]


def test_a_search_of_too_many_words_is_a_400_naming_the_limit(api_client, db):
    from catalog.limits import SEARCH_WORDS_MAX

    words = " ".join(f"w{n}" for n in range(SEARCH_WORDS_MAX))
    assert api_client.get("/products/list/", {"search": words}).status_code == 200
    response = api_client.get("/products/list/", {"search": words + " one-more"})
    assert response.status_code == 400
    body = response.json()
    assert f"at most {SEARCH_WORDS_MAX} words" in body["detail"]
    assert body["search"]
