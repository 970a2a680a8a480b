from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User
from .services import api_token_revoke, user_screen


def _screen_selected(modeladmin, request, queryset, *, approve: bool) -> None:
    """Screen through the service, so the rules and the e-mail are the same as on the site."""
    done = 0
    for user in queryset:
        try:
            user_screen(moderator=request.user, user=user, approve=approve)
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(getattr(error, "messages", [str(error)]))
            modeladmin.message_user(request, f"{user.username}: {text}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request, gettext("Accounts screened: %(count)d.") % {"count": done}, messages.SUCCESS
        )


@admin.action(description=_("Approve the selected accounts (the owners are e-mailed)"))
def approve_accounts(modeladmin, request, queryset):
    _screen_selected(modeladmin, request, queryset, approve=True)


@admin.action(description=_("Reject the selected accounts (the owners are e-mailed)"))
def reject_accounts(modeladmin, request, queryset):
    _screen_selected(modeladmin, request, queryset, approve=False)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "email", "preferred_language")},
        ),
        (
            _("Screening"),
            {
                "fields": (
                    "registration_note",
                    "email_confirmed_at",
                    "screening_status",
                    "screening_note",
                    "screened_at",
                    "screened_by",
                )
            },
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_moderator",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "first_name",
                    "last_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("screened_at", "screened_by", "last_login", "date_joined")
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "screening_status",
        "is_moderator",
        "is_active",
        "date_joined",
    )
    list_filter = ("screening_status", "is_moderator", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "registration_note")
    ordering = ("-date_joined",)
    actions = [approve_accounts, reject_accounts]


@admin.action(description=_("Revoke the selected API tokens"))
def revoke_api_tokens(modeladmin, request, queryset):
    done = 0
    for api_token in queryset.filter(revoked_at__isnull=True):
        try:
            api_token_revoke(user=request.user, token=api_token)
        except PermissionDenied as error:
            modeladmin.message_user(request, f"{api_token}: {error}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request, gettext("API tokens revoked: %(count)d.") % {"count": done}, messages.SUCCESS
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners (who alone see the secret); here they can only be
    looked at and revoked, through the service."""

    list_display = (
        "name",
        "key_id",
        "user",
        "scope",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    list_select_related = ("user",)
    search_fields = ("name", "key_id", "user__username", "user__email")
    ordering = ("-created_at",)
    actions = [revoke_api_tokens]
    fields = (*list_display, "revoked_by")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
