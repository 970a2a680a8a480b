"""Writes about organisations and memberships. Each write checks who may make it."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stocktake.core.permissions import require
from stocktake.initiatives.models import Initiative, Status
from stocktake.search.services import search_index_entries
from stocktake.vocabularies.models import Term

from .models import Membership, MembershipRole, Organisation
from .selectors import can_manage_organisation, can_register_organisation

NAME_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 5000


class OrganisationConflict(Exception):
    """The profile was saved by someone else after this editor loaded it."""

    def __init__(self, current: Organisation):
        super().__init__("The organisation's profile changed since it was loaded.")
        self.current = current


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


def _manage_refused() -> str:
    return _("Only an admin of this organisation or a moderator can manage its members.")


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
    actor=None,
) -> Organisation:
    """Create an organisation; its creator (if any) becomes its first admin.

    The person acting (`actor`, else `created_by`) must be screened or a moderator. With
    neither, the caller is the system itself (an import a moderator committed, the demo)."""
    actor = actor if actor is not None else created_by
    if actor is not None:
        require(
            can_register_organisation(user=actor),
            _("Your account is waiting for a moderator's screening. You can register your "
              "organisation once it is approved."),
        )  # fmt: skip
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


def _texts(current: dict, given: dict[str, str], *, field: str, max_length: int) -> dict[str, str]:
    """`current` with the languages in `given` replaced (an empty text removes one); the
    texts of languages the site no longer offers are kept."""
    offered = {code for code, _name in settings.LANGUAGES}
    unknown = sorted(set(given) - offered)
    if unknown:
        raise ValidationError(
            {field: _("“%(code)s” is not a language of this site.") % {"code": unknown[0]}}
        )
    texts = dict(current or {})
    for code, text in given.items():
        text = (text or "").strip()
        if len(text) > max_length:
            raise ValidationError(
                {field: _("Keep each text under %(limit)d characters.") % {"limit": max_length}}
            )
        if text:
            texts[code] = text
        else:
            texts.pop(code, None)
    return texts


def _current_or_known_term(scheme: str, code: str | None, field: str, current: Term | None):
    """The term for `code`; the organisation's present term stays allowed even once it is
    deprecated, so an unrelated edit does not force a new choice."""
    if current is not None and code == current.code:
        return current
    return _term(scheme, code, field)


@transaction.atomic
def organisation_update(
    *,
    actor,
    organisation: Organisation,
    updated_at: datetime,
    names: dict[str, str],
    descriptions: dict[str, str] | None = None,
    acronym: str = "",
    stakeholder_type: str,
    country: str | None = None,
    website: str = "",
) -> Organisation:
    """Change an organisation's profile: its admins and moderators may.

    `updated_at` is the organisation's `updated_at` when the editor loaded it: if someone
    saved the profile since, OrganisationConflict is raised and nothing is written. `names`
    and `descriptions` map languages to texts; an empty text removes that language."""
    require(
        can_manage_organisation(user=actor, organisation=organisation),
        _("Only an admin of this organisation or a moderator can edit its profile."),
    )
    current = (
        Organisation.objects.select_for_update(of=("self",))
        .select_related("stakeholder_type", "country")
        .get(pk=organisation.pk)
    )
    if current.updated_at != updated_at:
        raise OrganisationConflict(current)
    before = (dict(current.names), current.acronym, current.stakeholder_type_id)
    current.names = _texts(current.names, names, field="names", max_length=NAME_MAX_LENGTH)
    if not current.names:
        raise ValidationError(
            {"names": _("Give the organisation's name in at least one language.")}
        )
    current.descriptions = _texts(
        current.descriptions,
        descriptions or {},
        field="descriptions",
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    current.acronym = acronym.strip()
    if not stakeholder_type:
        raise ValidationError({"stakeholder_type": _("Choose a stakeholder type.")})
    current.stakeholder_type = _current_or_known_term(
        "stakeholder-types", stakeholder_type, "stakeholder_type", current.stakeholder_type
    )
    current.country = _current_or_known_term("countries", country, "country", current.country)
    current.website = website.strip()
    current.full_clean()
    # Written only if the stamp still matches: no save can slip in between, on any database.
    current.updated_at = timezone.now()
    written = Organisation.objects.filter(pk=current.pk, updated_at=updated_at).update(
        names=current.names,
        descriptions=current.descriptions,
        acronym=current.acronym,
        stakeholder_type=current.stakeholder_type,
        country=current.country,
        website=current.website,
        updated_at=current.updated_at,
    )
    if not written:
        raise OrganisationConflict(Organisation.objects.get(pk=current.pk))
    if before != (current.names, current.acronym, current.stakeholder_type_id):
        _reindex_entries(current)
    return current


def _reindex_entries(organisation: Organisation) -> None:
    """Entries are found by their lead organisation's names, acronym and stakeholder type."""
    ids = Initiative.objects.filter(organisation=organisation, status=Status.PUBLISHED).values_list(
        "pk", flat=True
    )
    search_index_entries(ids=list(ids))


def _locked(organisation: Organisation) -> Organisation:
    """The organisation's row, locked: membership changes of one organisation take turns, so
    two admins demoting each other cannot both succeed."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _last_admin(organisation: Organisation, user) -> bool:
    admins = organisation.memberships.filter(role=MembershipRole.ADMIN)
    return admins.filter(user=user).exists() and admins.count() == 1


@transaction.atomic
def membership_set(*, actor, organisation: Organisation, user, role: str) -> Membership:
    """Add a member or change their role: organisation admins and moderators may."""
    require(can_manage_organisation(user=actor, organisation=organisation), _manage_refused())
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose contributor or organisation admin.")})
    organisation = _locked(organisation)
    if role != MembershipRole.ADMIN and _last_admin(organisation, user):
        raise ValidationError(
            {"role": _("An organisation keeps at least one admin: name another first.")}
        )
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, organisation: Organisation, user) -> None:
    require(can_manage_organisation(user=actor, organisation=organisation), _manage_refused())
    organisation = _locked(organisation)
    if _last_admin(organisation, user):
        raise ValidationError(_("An organisation keeps at least one admin: name another first."))
    organisation.memberships.filter(user=user).delete()
