"""The Communication admin: the email/SMS outbox, notifications, messages, preferences.

- Outbox: staff only (the Manufacturers group holds no permission on it), read-only: what was
  sent, to whom, how many attempts, the last error. "Retry" re-queues failed rows.
- Notifications: everyone who enters the admin sees their own (the bell links here), staff see
  all; nobody edits them, one can only mark one's own read.
- Messages and preferences: staff only, read-mostly (messages can be deleted for moderation).
"""

from django.contrib import admin, messages
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import RangeDateFilter
from unfold.decorators import action, display

from core.admin import ScopedAdminMixin
from core.roles import user_can_enter_backoffice
from core.text import text_excerpt
from notifications.models import Message, Notification, NotificationPreference, OutboundMessage
from notifications.selectors import notifications_visible_to
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    outbound_retry,
)

STATUS_BADGES = {
    OutboundMessage.Status.PENDING.label: "info",
    OutboundMessage.Status.SENDING.label: "warning",
    OutboundMessage.Status.SENT.label: "success",
    OutboundMessage.Status.FAILED.label: "danger",
}


class ReadOnlyAdminMixin:
    """Rows written by services only: the admin shows them and never adds or edits."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdminMixin, ModelAdmin):
    empty_icon = "outbox"
    empty_title = _("The outbox is empty")
    empty_text = _("Every email and SMS the backoffice sends is listed here with its delivery.")
    list_display = [
        "recipient",
        "channel_display",
        "event",
        "subject_display",
        "status_display",
        "attempts_display",
        "created_at",
        "sent_at",
    ]
    # A date range rather than a date hierarchy: the hierarchy's first level asks the database
    # for every distinct year of the whole outbox (seconds at 100k messages on SQLite).
    list_filter = ["status", "channel", "event", ("created_at", RangeDateFilter)]
    list_filter_submit = True
    search_fields = ["recipient", "subject"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["retry_selected"]
    actions_detail = ["retry_detail"]
    readonly_fields = ["body_display", "html_preview"]
    fieldsets = [
        (
            _("Message"),
            {
                "fields": [
                    "channel",
                    "recipient",
                    "user",
                    "event",
                    "template",
                    "subject",
                    "body_display",
                    "html_preview",
                ]
            },
        ),
        (
            _("Delivery"),
            {
                "fields": [
                    "status",
                    "attempts",
                    "max_attempts",
                    "last_error",
                    "next_attempt_at",
                    "sent_at",
                    "provider_id",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the outbox is the record of what was sent

    def has_retry_permission(self, request: HttpRequest, obj=None) -> bool:
        # A retry changes the row, so it takes the model's change permission (staff only).
        allowed = request.user.is_staff and request.user.has_perm(
            "notifications.change_outboundmessage"
        )
        if not allowed or obj is None:
            return allowed
        # On a detail page (unfold passes the object id) the button is there for failed rows.
        pk = obj.pk if isinstance(obj, OutboundMessage) else obj
        return OutboundMessage.objects.filter(pk=pk, status=OutboundMessage.Status.FAILED).exists()

    @display(description=_("Text body"))
    def body_display(self, obj: OutboundMessage) -> str:
        return format_html('<pre style="white-space:pre-wrap;margin:0">{}</pre>', obj.body)

    @display(description=_("HTML body"))
    def html_preview(self, obj: OutboundMessage) -> str:
        if not obj.html_body:
            return "-"
        # Rendered as the recipient sees it, in a sandbox: no scripts, no access to the admin.
        return format_html(
            '<iframe sandbox srcdoc="{}" title="{}" '
            'style="width:100%;height:420px;border:1px solid #e5e7eb;border-radius:6px;'
            'background:#fff"></iframe>',
            obj.html_body,
            _("Email preview"),
        )

    @display(description=_("Channel"), ordering="channel")
    def channel_display(self, obj: OutboundMessage) -> str:
        return obj.get_channel_display()

    @display(description=_("Subject / text"))
    def subject_display(self, obj: OutboundMessage) -> str:
        return text_excerpt(obj.subject or obj.body, limit=60)

    @display(description=_("Status"), ordering="status", label=STATUS_BADGES)
    def status_display(self, obj: OutboundMessage) -> str:
        return obj.get_status_display()

    @display(description=_("Attempts"), ordering="attempts")
    def attempts_display(self, obj: OutboundMessage) -> str:
        return f"{obj.attempts} / {obj.max_attempts}"

    def _report_retry(self, request: HttpRequest, asked: int, retried: list[int]) -> None:
        if retried:
            messages.success(
                request,
                ngettext(
                    "%(count)d message queued again.",
                    "%(count)d messages queued again.",
                    len(retried),
                )
                % {"count": len(retried)},
            )
        if asked > len(retried):
            messages.warning(
                request,
                _("%(count)d selected message(s) were not failed and were left alone.")
                % {"count": asked - len(retried)},
            )

    @action(description=_("Retry selected failed messages"), permissions=["retry"])
    def retry_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        self._report_retry(request, len(ids), outbound_retry(outbound_ids=ids, actor=request.user))

    @action(description=_("Retry"), icon="replay", url_path="retry", permissions=["retry"])
    def retry_detail(self, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
        self._report_retry(
            request, 1, outbound_retry(outbound_ids=[int(object_id)], actor=request.user)
        )
        return redirect(reverse("admin:notifications_outboundmessage_change", args=[object_id]))


class RecipientFilter(admin.SimpleListFilter):
    """ "Mine" for staff, who see everyone's; the bell links here with ``?recipient=me``."""

    title = _("recipient")
    parameter_name = "recipient"

    def lookups(self, request, model_admin):
        return [("me", _("Me"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(user=request.user)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, ModelAdmin):
    empty_icon = "notifications"
    empty_title = _("No notifications")
    empty_text = _("You are all caught up. New ones ring the bell at the top of every page.")
    scope_selector = notifications_visible_to
    list_display = ["title_display", "user", "event", "read_display", "created_at"]
    list_display_links = None  # the title opens one's own notification (``open_view``)
    list_filter = [RecipientFilter, "is_read", "event"]
    search_fields = ["title", "body"]
    list_select_related = ["user"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["mark_selected_read"]
    actions_list = ["mark_all_read"]
    fields = ["user", "event", "title", "body", "link_display", "is_read", "read_at", "created_at"]
    readonly_fields = ["link_display"]

    def get_list_display(self, request: HttpRequest):
        columns = list(super().get_list_display(request))
        if not request.user.is_staff:
            columns.remove("user")  # always oneself
        return columns

    def get_list_filter(self, request: HttpRequest):
        filters = list(super().get_list_filter(request))
        if not request.user.is_staff:
            filters.remove(RecipientFilter)
        return filters

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if not request.user.is_staff and RecipientFilter.parameter_name in request.GET:
            # The bell links everyone to ``?recipient=me``. A manufacturer's list is theirs
            # alone and has no recipient filter, so Django would call the parameter unknown
            # and fall back to ``?e=1``: drop it instead (the list is the same).
            request.GET = request.GET.copy()
            del request.GET[RecipientFilter.parameter_name]
        return super().changelist_view(request, extra_context)

    def get_search_fields(self, request: HttpRequest):
        fields = list(super().get_search_fields(request))
        return [*fields, "user__email"] if request.user.is_staff else fields

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_mark_read_permission(self, request: HttpRequest, obj=None) -> bool:
        return user_can_enter_backoffice(user=request.user) and self.has_view_permission(request)

    @display(description=_("Read"), boolean=True, ordering="is_read")
    def read_display(self, obj: Notification) -> bool:
        return obj.is_read

    def get_urls(self):
        opening = path(
            "<int:notification_id>/open/",
            self.admin_site.admin_view(self.open_view),
            name="notifications_notification_open",
        )
        return [opening, *super().get_urls()]

    def open_view(self, request: HttpRequest, notification_id: int) -> HttpResponse:
        """Open one of one's own notifications: mark it read and follow its link (a page of
        this site), or show it when it has none. A POST (the title is a button of the list's
        form, which carries the CSRF token): a GET changes nothing and shows the notification.
        Anyone else's notification is a 404, and stays unread."""
        if not Notification.objects.filter(pk=notification_id, user=request.user).exists():
            raise Http404
        page = reverse("admin:notifications_notification_change", args=[notification_id])
        if request.method != "POST":
            return redirect(page)
        notification = notification_mark_read(user=request.user, notification_id=notification_id)
        link = notification.link
        if link and url_has_allowed_host_and_scheme(
            link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(link)
        return redirect(page)

    def _open_button(self, obj: Notification, label: str) -> str:
        return format_html(
            '<button type="submit" formmethod="post" formaction="{}" formnovalidate '
            'class="martaf-notification-open{}">{}</button>',
            reverse("admin:notifications_notification_open", args=[obj.pk]),
            "" if obj.is_read else " martaf-notification-open--unread",
            label,
        )

    @display(description=_("Title"), ordering="title")
    def title_display(self, obj: Notification) -> str:
        # One's own opens (marks read, follows the link); staff reading someone else's open
        # its page, leaving it unread.
        if obj.is_mine:
            return self._open_button(obj, obj.title)
        page = reverse("admin:notifications_notification_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', page, obj.title)

    def get_queryset(self, request: HttpRequest):
        # Whose each row is, for the reader: their own rows open (the admin instance is shared
        # by every request, so this travels on the rows, not on ``self``).
        mine = ExpressionWrapper(Q(user_id=request.user.pk), output_field=BooleanField())
        return super().get_queryset(request).annotate(is_mine=mine)

    @display(description=_("Link"))
    def link_display(self, obj: Notification) -> str:
        if not obj.link:
            return "-"
        if obj.is_mine:
            return self._open_button(obj, _("Open %(link)s") % {"link": obj.link})
        return format_html('<a href="{0}">{0}</a>', obj.link)

    @action(description=_("Mark selected as read (your own)"), permissions=["mark_read"])
    def mark_selected_read(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Only one's own: staff reading the list do not read other people's notifications.
        own = list(queryset.filter(user=request.user, is_read=False).values_list("pk", flat=True))
        for notification_id in own:
            notification_mark_read(user=request.user, notification_id=notification_id)
        messages.success(request, _("%(count)d marked as read.") % {"count": len(own)})

    @action(description=_("Mark all mine as read"), icon="done_all", permissions=["mark_read"])
    def mark_all_read(self, request: HttpRequest) -> HttpResponse:
        """The list's button is a link: GET asks, only the confirmation's POST writes."""
        back = reverse("admin:notifications_notification_changelist") + "?recipient=me"
        if request.method != "POST":
            unread = Notification.objects.filter(user=request.user, is_read=False).count()
            return TemplateResponse(
                request,
                "admin/notifications/mark_all_read.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Mark all your notifications as read"),
                    "unread": unread,
                    "back": back,
                },
            )
        changed = notifications_mark_all_read(user=request.user)
        messages.success(request, _("%(count)d marked as read.") % {"count": changed})
        return redirect(back)


@admin.register(Message)
class MessageAdmin(ModelAdmin):
    empty_icon = "chat"
    empty_title = _("No messages yet")
    empty_text = _("Messages customers and sellers send each other appear here.")
    list_display = ["id", "sender", "receiver", "content_display", "read_display", "created_at"]
    list_filter = ["is_read"]
    search_fields = ["content", "sender__email", "receiver__email"]
    list_select_related = ["sender", "receiver"]
    date_hierarchy = "created_at"
    list_per_page = 50
    readonly_fields = ["sender", "receiver", "content", "is_read", "created_at", "read_at"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # staff do not write as someone else

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @display(description=_("Content"))
    def content_display(self, obj: Message) -> str:
        return text_excerpt(obj.content, limit=80)

    @display(description=_("Read"), boolean=True, ordering="is_read")
    def read_display(self, obj: Message) -> bool:
        return obj.is_read


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ModelAdmin):
    list_display = ["user", "email_enabled", "sms_enabled", "muted_events", "updated_at"]
    list_filter = ["email_enabled", "sms_enabled"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
