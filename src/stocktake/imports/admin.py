from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The record of imports, read-only: imports are made from the import pages."""

    list_display = ("pk", "file_name", "created_by", "created_at", "status", "total_rows")
    list_filter = ("status", "format", "target_state")
    search_fields = ("file_name", "sha256")
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
