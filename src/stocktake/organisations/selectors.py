"""Reads about organisations and memberships."""

from django.conf import settings
from django.db.models import Q, QuerySet

from stocktake.core.permissions import is_moderator

from .models import Membership, MembershipRole, Organisation


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("stakeholder_type", "country").order_by("slug")


def organisation_public_list(*, q: str = "") -> QuerySet[Organisation]:
    """Organisations by slug (unique: a stable order for pages), optionally those whose name
    in any language, acronym or slug contains `q`."""
    queryset = organisation_list()
    if q:
        condition = Q(slug__icontains=q) | Q(acronym__icontains=q)
        for code, _name in settings.LANGUAGES:
            condition |= Q(**{f"names__{code}__icontains": q})
        queryset = queryset.filter(condition)
    return queryset.order_by("slug", "pk")


def organisation_public_get(*, pk: int) -> Organisation | None:
    """The organisation with this id, or None."""
    return organisation_public_list().filter(pk=pk).first()


def organisation_get(*, slug: str) -> Organisation:
    return Organisation.objects.select_related("stakeholder_type", "country").get(slug=slug)


def membership_role(*, user, organisation: Organisation) -> str | None:
    if not (user and user.is_authenticated):
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def is_member(*, user, organisation: Organisation) -> bool:
    return membership_role(user=user, organisation=organisation) is not None


def is_organisation_admin(*, user, organisation: Organisation) -> bool:
    return membership_role(user=user, organisation=organisation) == MembershipRole.ADMIN


def can_register_organisation(*, user) -> bool:
    """Screened accounts and moderators may register an organisation (and become its admin)."""
    if is_moderator(user):
        return True
    return bool(user and user.is_authenticated and user.is_active and user.is_screened)


def can_manage_organisation(*, user, organisation: Organisation) -> bool:
    """Moderators, and screened admins of this organisation, may edit its profile and manage
    its members."""
    if is_moderator(user):
        return True
    return can_register_organisation(user=user) and is_organisation_admin(
        user=user, organisation=organisation
    )


def user_organisations(*, user) -> QuerySet[Organisation]:
    if not (user and user.is_authenticated):
        return Organisation.objects.none()
    return organisation_list().filter(memberships__user=user)


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__username")
