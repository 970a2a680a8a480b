from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import user_screen


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
