"""Reviews in the backoffice: staff's moderation queue; manufacturers read their products' reviews.

The list puts reviews waiting for moderation first. Staff approve (publish), reject or hide
reviews, in bulk from the list (a confirmation page asks for the reason) or one at a time from
the review's page; every decision goes through ``reviews.services.reviews_moderate`` /
``review_moderate``, which records who, when and why. Manufacturers see the reviews of their
own products (``reviews_visible_to``), read-only, without the moderation history.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.filters.admin import ChoicesDropdownFilter
from unfold.decorators import action, display
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminTextareaWidget

from core.admin import (
    Dialog,
    HistoryInlineMixin,
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    bulk_action_page,
    dialog_action,
    htmx_redirect,
    report_done_skipped,
)
from core.text import text_excerpt
from reviews.errors import ReviewError
from reviews.models import Review, ReviewModeration, ReviewStatus
from reviews.selectors import reviews_visible_to
from reviews.services import review_moderate, reviews_moderate

STATUS_BADGES = {
    ReviewStatus.PUBLISHED.label: "success",
    ReviewStatus.PENDING.label: "warning",
    ReviewStatus.HIDDEN.label: "info",
    ReviewStatus.REJECTED.label: "danger",
}

# What each moderation action does: (target status, past tense for messages, reason required).
DECISIONS = {
    "approve": (ReviewStatus.PUBLISHED, _("published"), False),
    "reject": (ReviewStatus.REJECTED, _("rejected"), True),
    "hide": (ReviewStatus.HIDDEN, _("hidden"), True),
}


def _reason_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        required=required,
        max_length=255,
        help_text=_("Kept with the review's moderation history."),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
    )


class BulkModerationForm(forms.Form):
    def __init__(self, *args, reason_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason_field(reason_required)


class ReasonDialogForm(BaseDialogForm):
    reason = _reason_field(True)


PUBLISH_DIALOG = Dialog(
    _("Publish review"),
    _("The review appears on the storefront and the manufacturer is told."),
    _("Publish"),
)
REJECT_DIALOG = Dialog(
    _("Reject review"),
    _("The review leaves the storefront for good."),
    _("Reject"),
    ReasonDialogForm,
)
HIDE_DIALOG = Dialog(
    _("Hide review"),
    _("The review leaves the storefront until it is published again."),
    _("Hide"),
    ReasonDialogForm,
)


class ReviewModerationInline(HistoryInlineMixin, TabularInline):
    """Staff only: the screen's holds and staff's decisions on this review."""

    hide_title = True
    model = ReviewModeration
    fields = ["created_at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("Moderation history")

    @display(description=_("By"))
    def by(self, obj: ReviewModeration) -> str:
        return obj.actor.display_name if obj.actor else _("Screen")

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ModelAdmin):
    empty_icon = "reviews"
    empty_title = _("No reviews yet")
    empty_text = _(
        "Customers' reviews appear here. Those the screen holds (links, blocked words, "
        "capitals) come first, waiting for moderation."
    )
    scope_selector = staticmethod(reviews_visible_to)
    list_display = [
        "product",
        "stars",
        "author",
        "comment_excerpt",
        "verified",
        "status_badge",
        "created_at",
        "moderated_by",
    ]
    list_select_related = ["product", "user", "moderated_by"]
    list_filter = [("status", ChoicesDropdownFilter), "rating", "verified_purchase"]
    search_fields = ["comment", "product__name"]
    list_per_page = 50
    show_full_result_count = False
    # The queue: reviews waiting for moderation first, then the newest.
    ordering = [
        Case(
            When(status=ReviewStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ).asc(),
        "-created_at",
        "-id",
    ]
    fields = [
        "product",
        "user",
        "rating",
        "comment",
        "status",
        "verified_purchase",
        "moderation_reason",
        "moderated_by",
        "moderated_at",
        "published_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [ReviewModerationInline]
    actions = ["approve_selected", "reject_selected", "hide_selected"]
    actions_detail = ["approve_detail", "reject_detail", "hide_detail"]

    # -- read-only for everybody (ReadOnlyAdminMixin); staff moderate through the actions --

    def has_moderate_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and self.has_view_permission(request, obj)

    # -- columns --

    @display(description=_("Rating"), ordering="rating")
    def stars(self, obj: Review) -> str:
        return "★" * obj.rating + "☆" * (5 - obj.rating)

    @display(description=_("Author"))
    def author(self, obj: Review) -> str:
        return obj.user.display_name if obj.user else _("Former customer")

    @display(description=_("Comment"))
    def comment_excerpt(self, obj: Review) -> str:
        return text_excerpt(obj.comment, limit=80)

    @display(description=_("Verified"), boolean=True, ordering="verified_purchase")
    def verified(self, obj: Review) -> bool:
        return obj.verified_purchase

    @display(description=_("Status"), ordering="status", label=STATUS_BADGES)
    def status_badge(self, obj: Review) -> str:
        return obj.get_status_display()

    # -- bulk moderation (a confirmation page with the reason) --

    def _moderate_selected(self, request, queryset, decision: str):
        to, verb, reason_required = DECISIONS[decision]
        bound = request.POST if "reason" in request.POST else None
        form = BulkModerationForm(bound, reason_required=reason_required)
        if form.is_bound and form.is_valid():
            done, skipped = reviews_moderate(
                reviews=queryset.select_related("product__manufacturer", "user"),
                actor=request.user,
                to=to,
                reason=form.cleaned_data["reason"],
            )
            report_done_skipped(
                request, done=len(done), skipped=skipped, noun=(_("review"), _("reviews")), verb=verb
            )
            return None
        return bulk_action_page(
            self,
            request,
            template="admin/reviews/review/moderate_selected.html",
            title=_("Moderate reviews"),
            form=form,
            objects=queryset.select_related("product", "user"),
            action_name=f"{decision}_selected",
            verb=verb,
        )

    @action(description=_("Publish selected…"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        return self._moderate_selected(request, queryset, "approve")

    @action(description=_("Reject selected…"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        return self._moderate_selected(request, queryset, "reject")

    @action(description=_("Hide selected…"), permissions=["moderate"])
    def hide_selected(self, request, queryset):
        return self._moderate_selected(request, queryset, "hide")

    # -- one review, from its page --

    def _decide(self, request, object_id, decision: str, reason: str = "") -> None:
        review = self.get_scoped_or_403(request, object_id)
        to, verb, _required = DECISIONS[decision]
        try:
            review_moderate(review=review, actor=request.user, to=to, reason=reason)
        except ReviewError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Review %(verb)s.") % {"verb": verb})

    @dialog_action(_("Publish"), "check_circle", "approve", "moderate", PUBLISH_DIALOG)
    def approve_detail(self, request, form, object_id):
        self._decide(request, object_id, "approve")
        return htmx_redirect(self.after_decision_url(request, object_id))

    @dialog_action(_("Reject"), "block", "reject", "moderate", REJECT_DIALOG)
    def reject_detail(self, request, form, object_id):
        self._decide(request, object_id, "reject", form.cleaned_data["reason"])
        return htmx_redirect(self.after_decision_url(request, object_id))

    @dialog_action(_("Hide"), "visibility_off", "hide", "moderate", HIDE_DIALOG)
    def hide_detail(self, request, form, object_id):
        self._decide(request, object_id, "hide", form.cleaned_data["reason"])
        return htmx_redirect(self.after_decision_url(request, object_id))

    def after_decision_url(self, request, object_id) -> str:
        """After a decision on a review's page: the next review waiting for moderation, else
        the list (where the decided review now shows its new status)."""
        waiting = self.get_queryset(request).filter(status=ReviewStatus.PENDING)
        following = waiting.exclude(pk=object_id).values_list("pk", flat=True).first()
        if following is None:
            return reverse("admin:reviews_review_changelist")
        left = waiting.count()
        messages.info(
            request,
            ngettext(
                "Next: the last review waiting for moderation.",
                "Next: one of %(n)d reviews waiting for moderation.",
                left,
            )
            % {"n": left},
        )
        return self.change_url(following)
