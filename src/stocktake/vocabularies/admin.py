from django.contrib import admin

from .models import Crosswalk, CrosswalkLink, Scheme, Term


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["identifier", "version", "sort_order"]
    search_fields = ["identifier"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["code", "scheme", "parent", "deprecated"]
    list_filter = ["scheme", "deprecated"]
    search_fields = ["code", "labels"]
    raw_id_fields = ["parent"]


class CrosswalkLinkInline(admin.TabularInline):
    model = CrosswalkLink
    raw_id_fields = ["from_term", "to_term"]
    extra = 0


@admin.register(Crosswalk)
class CrosswalkAdmin(admin.ModelAdmin):
    list_display = ["identifier", "from_scheme", "to_scheme", "version"]
    inlines = [CrosswalkLinkInline]
