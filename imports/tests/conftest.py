"""Import fixtures: the catalogue's small tree and product factory."""

from catalog.tests.conftest import make_product, phones  # noqa: F401 (fixtures)
