from django.contrib import admin

from .models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["slug", "acronym", "stakeholder_type", "country"]
    search_fields = ["slug", "acronym", "names"]
    raw_id_fields = ["stakeholder_type", "country"]
    inlines = [MembershipInline]
