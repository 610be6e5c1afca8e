"""The wishlist's writes: two first reads at once share one wishlist."""

import pytest

pytestmark = pytest.mark.django_db


def test_two_first_wishlist_reads_at_once_share_one_wishlist(customer, monkeypatch):
    from shopping.models import Wishlist
    from shopping.services import wishlist_get_or_create

    theirs = Wishlist.objects.create(user=customer)  # the other request's, made meanwhile
    real_filter = Wishlist.objects.filter
    reads = []

    def filter_seeing_nothing_first(*args, **kwargs):
        reads.append(kwargs)
        queryset = real_filter(*args, **kwargs)
        return queryset.none() if len(reads) == 1 else queryset

    monkeypatch.setattr(Wishlist.objects, "filter", filter_seeing_nothing_first)
    assert wishlist_get_or_create(user=customer) == theirs
    assert Wishlist.objects.count() == 1
