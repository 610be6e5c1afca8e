"""What an uncached list page costs in queries, shared by the tests that pin it."""

# the catalogue's version, the count, the page's products (with category and seller), their
# categories' ancestors, images, variations, latest reviews (with their authors)
LIST_QUERIES = 7
