"""Reviews of products: writing them (the screen holds links, blocked words and capitals for
staff), staff's moderation with its history, the verified-purchase mark (a delivered order of
the author's), the product's stored rating, the review API and the moderation admin.

It sits above ``orders`` (it reads delivered orders) and ``catalog`` (what it reviews); the
catalogue embeds a product's latest reviews through ``catalog.sections``, which this app fills
when it is ready.
"""
