"""Shapes of the earnings API: amounts are decimal strings, as in the catalogue's objects."""

from rest_framework import serializers

AMOUNT = {"max_digits": 16, "decimal_places": 2}


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    order = serializers.IntegerField(source="order_id", allow_null=True)
    order_number = serializers.SerializerMethodField()
    payout = serializers.IntegerField(source="payout_id", allow_null=True)
    refund = serializers.IntegerField(source="refund_id", allow_null=True)
    amount = serializers.DecimalField(**AMOUNT)
    available_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()

    def get_order_number(self, entry) -> str | None:
        return entry.order.number if entry.order_id else None


class ReleaseSerializer(serializers.Serializer):
    available_on = serializers.DateField()
    amount = serializers.DecimalField(**AMOUNT)


class EarningsSerializer(serializers.Serializer):
    """The schema of ``GET /api/earnings/`` (the view builds the body)."""

    manufacturer = serializers.IntegerField()
    currency = serializers.CharField()
    available = serializers.DecimalField(**AMOUNT)
    pending = serializers.DecimalField(**AMOUNT)
    owed = serializers.DecimalField(**AMOUNT)
    paid_out = serializers.DecimalField(**AMOUNT)
    pending_releases = ReleaseSerializer(many=True)
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    entries = EntrySerializer(many=True)


class CashCollectedSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    status = serializers.CharField()
    cash_collected_at = serializers.DateTimeField()
    cash_collected_by = serializers.IntegerField(source="cash_collected_by_id")
    commission_owed = serializers.DecimalField(**AMOUNT)


class MoneyErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False, help_text="Absent on field-list errors.")
