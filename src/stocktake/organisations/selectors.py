"""Reads about organisations and memberships."""

from django.db.models import QuerySet

from .models import Membership, MembershipRole, Organisation


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("stakeholder_type", "country").order_by("slug")


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


def user_organisations(*, user) -> QuerySet[Organisation]:
    if not (user and user.is_authenticated):
        return Organisation.objects.none()
    return organisation_list().filter(memberships__user=user)


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__username")
