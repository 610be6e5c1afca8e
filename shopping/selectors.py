"""Reads of the wishlist, the cart, addresses and shipping methods.

Each list is read in a fixed number of queries whatever its length (the API's counts are pinned
in ``tests/api/test_query_counts.py``). ``cart_of`` also says, line by line, whether the line
can be bought now (public product, a variation chosen where one is needed, enough stock), with
the prices of ``catalog.pricing``, so the cart shows a problem before checkout does.

``cart_items_checked``, ``shipping_address_default``, ``shipping_addresses_of`` and
``shipping_methods_active`` are what checkout (``orders``) reads.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from catalog.models import Product, Variation
from catalog.pricing import UnitPrice, unit_price
from catalog.selectors import products_in_order, products_public
from shopping.errors import ShoppingErrorCode
from shopping.models import CartItem, ShippingAddress, ShippingMethod, Wishlist, WishlistItem
from users.models import User

ZERO = Decimal("0.00")


# --- Wishlist ------------------------------------------------------------------------------------


def wishlist_products(*, wishlist: Wishlist | None) -> list[Product]:
    """The wishlist's public products with the catalogue's details, most recently added first
    (a product that stopped being public drops out of view but stays on the list)."""
    if wishlist is None:
        return []
    ids = list(
        WishlistItem.objects.filter(wishlist=wishlist, product__in=products_public()).values_list(
            "product_id", flat=True
        )
    )
    return products_in_order(ids=ids)


# --- Cart ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartIssue:
    """Why a cart line cannot be bought now: a code for programs (checkout maps it to its own
    codes) and the sentence the cart shows as the line's ``issue``."""

    code: ShoppingErrorCode
    message: str

    @classmethod
    def unavailable(cls) -> "CartIssue":
        return cls(ShoppingErrorCode.PRODUCT_WITHDRAWN, "This product is no longer available.")

    @classmethod
    def variation_required(cls) -> "CartIssue":
        return cls(
            ShoppingErrorCode.VARIATION_REQUIRED, "Choose a size or colour for this product."
        )

    @classmethod
    def out_of_stock(cls) -> "CartIssue":
        return cls(ShoppingErrorCode.INSUFFICIENT_STOCK, "Out of stock.")

    @classmethod
    def only_left(cls, stock: int) -> "CartIssue":
        return cls(
            ShoppingErrorCode.INSUFFICIENT_STOCK,
            f"Only {stock} left in stock: lower the quantity.",
        )


@dataclass
class CartLine:
    item: CartItem
    product: Product  # with what the product JSON shows (products_in_order)
    variation: Variation | None  # the variation chosen, None for a product without sizes
    stock: int
    price: UnitPrice
    issue: CartIssue | None

    @property
    def available(self) -> bool:
        return self.issue is None

    @property
    def subtotal(self) -> Decimal:
        return self.price.paid * self.item.quantity


@dataclass
class Cart:
    user: User
    lines: list[CartLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.subtotal for line in self.lines), ZERO)

    @property
    def total_items(self) -> int:
        return sum(line.item.quantity for line in self.lines)

    @property
    def checked_total(self) -> Decimal:
        return sum((line.subtotal for line in self.lines if line.item.checked), ZERO)

    @property
    def created_at(self):
        return min((line.item.created_at for line in self.lines), default=None)


def _cart_items(*, user: User, item_ids=None) -> QuerySet[CartItem]:
    queryset = CartItem.objects.filter(user=user)
    if item_ids is not None:
        queryset = queryset.filter(pk__in=item_ids)
    return (
        queryset
        .select_related("variation")
        .annotate(product_public=Exists(products_public().filter(pk=OuterRef("product_id"))))
        .order_by("created_at", "id")
    )


def _line_issue(
    *, public: bool, needs_variation: bool, stock: int, quantity: int
) -> CartIssue | None:
    if not public:
        return CartIssue.unavailable()
    if needs_variation:
        return CartIssue.variation_required()
    if stock <= 0:
        return CartIssue.out_of_stock()
    if quantity > stock:
        return CartIssue.only_left(stock)
    return None


def cart_of(*, user: User, item_ids=None, details: bool = True) -> Cart:
    """The user's cart (or only the lines ``item_ids``), each line with its product details,
    stock, price and issue (six queries whatever the number of lines: lines, products with
    images, variations and reviews, and the stock holders of products sold without sizes).

    ``details=False`` (checkout, which prices and checks the lines but shows no product): the
    products and all their variations only, three queries in all."""
    items = list(_cart_items(user=user, item_ids=item_ids))
    if not items:
        return Cart(user=user)
    product_ids = list({i.product_id for i in items})
    if details:
        products = {p.pk: p for p in products_in_order(ids=product_ids)}
        # A product sold without sizes keeps its stock (and any price override) on one blank
        # variation: the line without a variation is priced and stocked as checkout will take
        # it.
        holders = {
            v.product_id: v
            for v in Variation.objects.filter(
                product_id__in=[i.product_id for i in items if i.variation_id is None],
                size="",
                color="",
            )
        }
    else:
        products, holders = _products_priced(product_ids)
    lines = []
    for item in items:
        product = products[item.product_id]
        variation = item.variation
        held_by = variation or holders.get(item.product_id)
        needs_variation = variation is None and bool(product.listed_variations)
        stock = held_by.stock if held_by is not None else 0
        lines.append(
            CartLine(
                item=item,
                product=product,
                variation=variation,
                stock=stock,
                price=unit_price(product=product, variation=held_by),
                issue=_line_issue(
                    public=item.product_public,
                    needs_variation=needs_variation,
                    stock=stock,
                    quantity=item.quantity,
                ),
            )
        )
    return Cart(user=user, lines=lines)


def _products_priced(ids: list) -> tuple[dict, dict]:
    """The products and, in one more query, all their variations: the listed ones as
    ``listed_variations`` (as ``products_with_details`` has them) and the blank stock holders
    by product."""
    products = {
        product.pk: product
        for product in Product.objects.filter(pk__in=ids)
        .select_related("manufacturer")
        .prefetch_related(
            Prefetch("variations", queryset=Variation.objects.order_by("id"),
                     to_attr="every_variation")
        )
    }
    holders = {}
    for product in products.values():
        product.listed_variations = [v for v in product.every_variation if not v.is_default]
        for variation in product.every_variation:
            if variation.is_default:
                holders[product.pk] = variation
    return products, holders


def cart_item_of(*, user: User, item_id) -> CartItem | None:
    """One line of the user's own cart; None for another user's line (answered as unknown)."""
    try:
        return CartItem.objects.filter(user=user, pk=int(item_id)).first()
    except (TypeError, ValueError):
        return None


def cart_items_checked(*, user: User) -> list[CartItem]:
    """The ticked lines checkout takes, with product, variation and manufacturer loaded."""
    return list(
        CartItem.objects.filter(user=user, checked=True)
        .select_related("product__manufacturer", "variation")
        .order_by("created_at", "id")
    )


# --- Shipping ------------------------------------------------------------------------------------


def shipping_addresses_of(*, user: User) -> QuerySet[ShippingAddress]:
    """The user's addresses, the default first, then the newest."""
    return ShippingAddress.objects.filter(user=user).order_by("-is_default", "-created_at", "-id")


def shipping_address_default(*, user: User) -> ShippingAddress | None:
    """The user's default address (the newest one if, against the rule, none is marked)."""
    return shipping_addresses_of(user=user).first()


def shipping_methods_active() -> QuerySet[ShippingMethod]:
    """The methods buyers may choose: the default first, then cheapest first."""
    return ShippingMethod.objects.filter(is_active=True).order_by(
        "-is_default", "cost", "name", "id"
    )
