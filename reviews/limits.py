"""The reviews' bounds, beside the catalogue's (``catalog.limits``): the API refuses a longer
comment with a 400 naming the field."""

REVIEW_COMMENT_MAX = 5_000
