"""Writes about organisations and memberships."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stocktake.core.permissions import is_moderator, require
from stocktake.vocabularies.models import Term

from .models import Membership, MembershipRole, Organisation
from .selectors import is_organisation_admin


def _term(scheme: str, code: str | None, field: str) -> Term | None:
    if not code:
        return None
    term = Term.objects.filter(scheme__identifier=scheme, code=code, deprecated=False).first()
    if term is None:
        raise ValidationError(
            {
                field: _("“%(code)s” is not a known code in %(scheme)s.")
                % {"code": code, "scheme": scheme}
            }
        )
    return term


def _unique_slug(base: str) -> str:
    slug = slugify(base)[:100] or "organisation"
    candidate, n = slug, 2
    while Organisation.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


@transaction.atomic
def organisation_create(
    *,
    names: dict[str, str],
    stakeholder_type: str,
    country: str | None = None,
    website: str = "",
    acronym: str = "",
    slug: str | None = None,
    created_by=None,
) -> Organisation:
    """Create an organisation; its creator (if any) becomes its first admin."""
    names = {code: text.strip() for code, text in names.items() if text and text.strip()}
    if not names:
        raise ValidationError(
            {"names": _("Give the organisation's name in at least one language.")}
        )
    organisation = Organisation(
        slug=slug or _unique_slug(acronym or next(iter(names.values()))),
        names=names,
        acronym=acronym.strip(),
        stakeholder_type=_term("stakeholder-types", stakeholder_type, "stakeholder_type"),
        country=_term("countries", country, "country"),
        website=website.strip(),
    )
    organisation.full_clean()
    organisation.save()
    if created_by is not None:
        Membership.objects.create(
            organisation=organisation, user=created_by, role=MembershipRole.ADMIN
        )
    return organisation


@transaction.atomic
def membership_set(*, actor, organisation: Organisation, user, role: str) -> Membership:
    """Add a member or change their role: organisation admins and moderators may."""
    require(
        is_moderator(actor) or is_organisation_admin(user=actor, organisation=organisation),
        _("Only an admin of this organisation or a moderator can manage its members."),
    )
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose contributor or organisation admin.")})
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, organisation: Organisation, user) -> None:
    require(
        is_moderator(actor) or is_organisation_admin(user=actor, organisation=organisation),
        _("Only an admin of this organisation or a moderator can manage its members."),
    )
    admins = organisation.memberships.filter(role=MembershipRole.ADMIN)
    if admins.filter(user=user).exists() and admins.count() == 1:
        raise ValidationError(_("An organisation keeps at least one admin: name another first."))
    organisation.memberships.filter(user=user).delete()
