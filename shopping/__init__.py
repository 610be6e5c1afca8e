"""The storefront's shopping side before checkout: wishlist, cart, shipping addresses and the
shipping methods staff offer. Checkout itself (orders and payment) lives in ``orders``."""
