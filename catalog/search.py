"""Full-text search of products by name and description, on either database.

The storefront's ``?search=`` (and anything else that searches products) goes through
``products_matching``: every word of the text must match (AND), each as the prefix of a word
("bask" finds "basket"), stemmed as English ("shirts" finds "shirt"), whatever the case and the
accents ("cafe" finds "Café"). The user's text is cut into words here (letters and digits), so
quotes, ``*``, ``AND``, ``NEAR(``, ``:``, ``&`` or ``!`` are never read as search syntax by
either engine; text with no word in it matches nothing.

- PostgreSQL: the column ``catalog_product.search_vector`` (``to_tsvector`` of name and
  description, kept by a trigger, under a GIN index: migration 0008 says why a column and not an
  index on the expression). Config ``catalog_english``: the Snowball English stemmer behind
  ``unaccent``, without a stop-word list, so that "the" or "for" are words like any other, as
  they are for SQLite's tokenizer (PostgreSQL's ``english`` would drop them from documents and
  queries, and the two databases would answer differently).
- SQLite: the FTS5 table ``catalog_product_search`` (external content: it indexes
  ``catalog_product`` by rowid and stores no text of its own), kept in step by triggers on
  insert, delete and an update of name or description, so imports (``core.bulk_insert``) and
  ``QuerySet.update`` are indexed as ``save()`` is. Tokenizer ``porter unicode61
  remove_diacritics 2``: Porter is the English stemmer Snowball's English refines, so both
  databases stem alike (not identically for every word). Prefix indexes of 1 to 10 characters
  (migration 0014): a prefix of those lengths reads one list of documents instead of merging
  those of every term it covers.

Neither column nor table is known to the model: the match is one SQL expression naming the
product table by the alias the query gives it (``ProductTextMatch``), so it also holds inside a
subquery.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Expression, QuerySet

from catalog.limits import SEARCH_WORDS_MAX

PG_CONFIG = "catalog_english"
FTS_TABLE = "catalog_product_search"

# Words as both engines' tokenizers see them: runs of letters and digits (underscore is a
# separator for both).
_WORD = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, in order, without repeats."""
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(text)))


def validate_search_text(text: str) -> None:
    """A form validator of the search box: at most ``SEARCH_WORDS_MAX`` words (each is one more
    term for the index to intersect; a pasted paragraph is refused with the reason)."""
    if len(search_words(text)) > SEARCH_WORDS_MAX:
        raise ValidationError(
            f"Search with at most {SEARCH_WORDS_MAX} words.", code="too_many_words"
        )


def products_matching(queryset: QuerySet, text: str) -> QuerySet:
    """``queryset`` narrowed to the products whose name or description has every word of
    ``text`` (each as a word prefix). Blank text is no filter; text without a letter or digit
    (only punctuation) matches nothing. Keeps the queryset's order; adds no query of its own."""
    if not text.strip():
        return queryset
    words = search_words(text)
    if not words:
        return queryset.none()
    return queryset.filter(ProductTextMatch(words))


def fts5_query(words: list[str]) -> str:
    """SQLite's match text for ``words``: juxtaposed terms are ANDed; ``"word"*`` is a prefix
    query for that (stemmed) word."""
    return " ".join(f'"{word}"*' for word in words)


class ProductTextMatch(Expression):
    """True for a product row whose text has every one of ``words`` as a word prefix.

    Each word becomes one quoted term with the engine's prefix mark; the words hold only
    letters and digits, so nothing in them can be read as an operator."""

    output_field = BooleanField()

    def __init__(self, words: list[str]):
        super().__init__()
        self.words = list(words)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.words!r})"

    def as_sql(self, compiler, connection):
        product = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        if connection.vendor == "postgresql":
            query = " & ".join(f"'{word}':*" for word in self.words)
            return (f"{product}.search_vector @@ to_tsquery('{PG_CONFIG}'::regconfig, %s)",
                    [query])
        if connection.vendor == "sqlite":
            # SQLite always lets the matches drive (one rowid lookup each): best for a count
            # (17 ms for 22k matches at 100k products, 0.2 ms for a rare word), but a page of
            # a common word then sorts all its matches (22 ms). For an ordered page, "+" keeps
            # the rowid from driving: SQLite walks the ordering's index and checks each row
            # against the matches, stopping at the page's end (3.7 ms; 9 ms for a rare word,
            # the whole index walked). The storefront's newest-first first page does better
            # still: catalog.selectors_listing's search window.
            page = bool(compiler.query.order_by) and compiler.query.high_mark is not None
            keep = "+" if page else ""
            return (f"{keep}{product}.rowid IN "
                    f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
                    [fts5_query(self.words)])
        raise NotImplementedError(f"product search on {connection.vendor}")
