"""Staff's user admin: search, role filters, profile inlines, and vendor onboarding (approve,
reject, suspend, reinstate manufacturers: ``users.admin_onboarding``). Manufacturers never reach
it (the Manufacturers group holds no user permissions)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, StackedInline
from unfold.decorators import display
from unfold.forms import AdminPasswordChangeForm
from unfold.forms import UserChangeForm as UnfoldUserChangeForm
from unfold.forms import UserCreationForm as UnfoldUserCreationForm

from users import admin_signin  # noqa: F401  (registers the sign-in lockouts page)
from users.admin_onboarding import OnboardingActionsMixin
from users.models import CustomerProfile, ManufacturerProfile, User
from users.onboarding import DECISIONS, manufacturer_review_url, manufacturer_status_for_new
from users.services import user_sync_roles


class UserCreationForm(UnfoldUserCreationForm):
    class Meta(UnfoldUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserChangeForm(UnfoldUserChangeForm):
    class Meta(UnfoldUserChangeForm.Meta):
        model = User
        fields = "__all__"


class CustomerProfileInline(StackedInline):
    model = CustomerProfile
    can_delete = False
    fields = ("profile_picture", "contact_details", "loyalty_points", "created_at")
    readonly_fields = ("loyalty_points", "created_at")
    tab = True


class ManufacturerProfileInline(StackedInline):
    model = ManufacturerProfile
    can_delete = False
    fields = ("display_name", "profile_picture", "bank_details", "created_at")
    readonly_fields = ("created_at",)
    tab = True


@admin.register(User)
class UserAdmin(OnboardingActionsMixin, BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [ManufacturerProfileInline, CustomerProfileInline]

    list_display = (
        "email",
        "full_name",
        "role_badges",
        "manufacturer_status_badge",
        "review_link",
        "is_active",
        "date_joined",
        "last_login",
    )
    list_filter = (
        "manufacturer_status",
        "is_staff",
        "is_manufacturer",
        "is_customer",
        "is_google_user",
        "is_active",
        "groups",
    )
    search_fields = (
        "email",
        "first_name",
        "last_name",
        "phone",
        "manufacturer_profile__display_name",
    )
    ordering = ("email",)
    readonly_fields = (
        "is_google_user",
        "last_login",
        "date_joined",
        "manufacturer_status",
        "manufacturer_status_reason",
    )
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Roles"), {"fields": ("is_customer", "is_manufacturer", "is_google_user")}),
        (
            _("Manufacturer account"),
            {"fields": ("manufacturer_status", "manufacturer_status_reason")},
        ),
        (
            _("Permissions"),
            {
                "classes": ["tab"],
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        (_("Important dates"), {"classes": ["tab"], "fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "password1", "password2"),
            },
        ),
        (
            _("Roles"),
            {"fields": ("first_name", "last_name", "is_customer", "is_manufacturer", "is_staff")},
        ),
    )

    def get_inlines(self, request, obj):
        # On the add page the profiles do not exist yet: they are made from the roles on save.
        return [] if obj is None else super().get_inlines(request, obj)

    @display(description=_("Name"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name() or "-"

    @display(description=_("Application"))
    def review_link(self, obj: User) -> str:
        """The way to decide an application: its review page (the raw form is for edits)."""
        if (
            not obj.is_manufacturer
            or obj.manufacturer_status not in DECISIONS["approve"].allowed_from
        ):
            return ""
        return format_html(
            '<a class="martaf-link" href="{}">{}</a>', manufacturer_review_url(obj.pk), _("Review")
        )

    @display(description=_("Roles"), label=True)
    def role_badges(self, obj: User) -> list[str]:
        return obj.roles

    def save_model(self, request, obj: User, form, change) -> None:
        if not change:
            # Staff making the account is the admission: never pending (users.onboarding).
            obj.manufacturer_status = manufacturer_status_for_new(
                is_manufacturer=obj.is_manufacturer, self_service=False
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # After the groups are saved, so the Manufacturers group always follows the flag.
        user_sync_roles(user=form.instance)


@admin.register(CustomerProfile)
class CustomerProfileAdmin(ModelAdmin):
    list_display = ("user", "loyalty_points", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    readonly_fields = ("user", "loyalty_points", "created_at")


@admin.register(ManufacturerProfile)
class ManufacturerProfileAdmin(ModelAdmin):
    list_display = ("display_name", "user", "created_at")
    list_select_related = ("user",)
    search_fields = ("display_name", "user__email")
    readonly_fields = ("user", "created_at")
