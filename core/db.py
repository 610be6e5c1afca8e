"""Model and query building blocks shared by every app (imports no app)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _


def actor_field(**overrides) -> models.ForeignKey:
    """Who did it, on an audit row: a user link that survives the user's deletion."""
    options = {
        "on_delete": models.SET_NULL,
        "null": True,
        "blank": True,
        "related_name": "+",
        "verbose_name": _("by"),
    }
    options.update(overrides)
    return models.ForeignKey(settings.AUTH_USER_MODEL, **options)


def subquery_count(queryset: QuerySet) -> Subquery:
    """COUNT(*) of a correlated ``queryset`` (filtered on an ``OuterRef``) as a subquery, with no
    GROUP BY (``Count`` in a subquery would group by the outer row)."""
    return Subquery(
        queryset.order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )

