"""Staff's view of the sign-in policy's counts (``users.signin_policy``): who is being refused
and until when. Deleting a row (or the "Lift" action) lets that address, pair or email try
again at once. Read-only otherwise; staff only (manufacturers never see it). Also the
second-factor devices (allauth.mfa), without their secrets."""

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from core.admin import StaffOnlyAdminMixin
from users.models import SignInThrottle


@admin.register(SignInThrottle)
class SignInThrottleAdmin(StaffOnlyAdminMixin, ModelAdmin):
    list_display = ("scope", "client_ip", "email", "failures", "last_failure_at", "state")
    list_filter = ("scope",)
    search_fields = ("email", "client_ip")
    readonly_fields = (
        "scope",
        "client_ip",
        "email",
        "failures",
        "last_failure_at",
        "blocked_until",
    )
    actions = ["lift"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @display(
        description=_("state"),
        label={"refused": "danger", "counting": "info"},
    )
    def state(self, obj: SignInThrottle):
        if obj.blocked_until and obj.blocked_until > timezone.now():
            until = timezone.localtime(obj.blocked_until).strftime("%H:%M:%S")
            return "refused", _("refused until %(time)s") % {"time": until}
        return "counting", _("counting")

    @action(description=_("Lift: let them try again now"), permissions=["delete"])
    def lift(self, request, queryset):
        count, _deleted = queryset.delete()
        messages.success(
            request,
            ngettext("Lifted %(n)d sign-in count.", "Lifted %(n)d sign-in counts.", count)
            % {"n": count},
        )


# allauth.mfa's own admin shows the stored TOTP secret; this one never does. Superusers delete
# a lost device here, and its owner sets two-factor sign-in up again at the next sign-in.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ModelAdmin):
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
