"""Test data made through the real services, so tests meet the validation users meet.

Accounts are the exception: registering, confirming and screening an account takes three
services and e-mails; tests only need the resulting state, so users are created in it.
"""

from itertools import count

from stocktake.accounts.models import ScreeningStatus, User
from stocktake.organisations.models import Membership, MembershipRole, Organisation
from stocktake.organisations.services import organisation_create

from .. import services
from ..content import read_revision
from ..models import Initiative, Revision

_sequence = count(1)


def make_user(*, screened: bool = True, moderator: bool = False, **fields) -> User:
    n = next(_sequence)
    fields.setdefault("username", f"user{n}")
    fields.setdefault("email", f"user{n}@example.org")
    fields.setdefault("first_name", f"Person{n}")
    fields.setdefault("last_name", "Example")
    password = fields.pop("password", "a-long-enough-password")
    return User.objects.create_user(
        password=password,
        screening_status=ScreeningStatus.APPROVED if screened else ScreeningStatus.PENDING,
        is_moderator=moderator,
        **fields,
    )


def make_org(
    *,
    members: list[User] = (),
    admins: list[User] = (),
    names: dict[str, str] | None = None,
    stakeholder_type: str = "government",
    country: str | None = "TN",
    **fields,
) -> Organisation:
    """An organisation with these contributors and admins (and no one else)."""
    n = next(_sequence)
    admins = list(admins)
    organisation = organisation_create(
        names=names or {"en": f"Ministry of Examples {n}", "ar": f"وزارة الأمثلة {n}"},
        stakeholder_type=stakeholder_type,
        country=country,
        created_by=admins[0] if admins else None,  # the creator becomes its first admin
        **fields,
    )
    for admin in admins[1:]:
        Membership.objects.create(organisation=organisation, user=admin, role=MembershipRole.ADMIN)
    for member in members:
        Membership.objects.create(organisation=organisation, user=member)
    return organisation


def complete_content(**overrides) -> dict:
    """A content document complete enough to be submitted; keyword arguments replace fields."""
    document = {
        "original_language": "en",
        "title": {"en": "National AI skills programme"},
        "summary": {"en": "Free training in data and AI skills for young people and teachers."},
        "description": {"en": "The programme trains *ten thousand* people a year."},
        "initiative_type": "programme",
        "implementation_status": "ongoing",
        "coverage": "national",
        "countries": ["TN"],
        "action_lines": {"primary": "C4", "secondary": ["C7.3"]},
        "sdg_goals": ["4"],
        "sdg_targets": [{"code": "4.4", "evidence": "Digital skills for employment."}],
        "technologies": ["artificial-intelligence"],
        "keywords": ["skills", "training"],
    }
    document.update(overrides)
    return document


def _author(organisation: Organisation | None, author: User | None) -> tuple[Organisation, User]:
    if author is None:
        author = make_user()
        if organisation is None:
            organisation = make_org(members=[author])
        else:
            Membership.objects.create(organisation=organisation, user=author)
    elif organisation is None:
        organisation = make_org(members=[author])
    return organisation, author


def make_draft(
    *, author: User | None = None, organisation: Organisation | None = None, **content
) -> Initiative:
    """A draft by `author` (a new member if not given) for `organisation` (a new one)."""
    organisation, author = _author(organisation, author)
    return services.initiative_create(
        user=author, organisation=organisation, content=complete_content(**content)
    )


def make_submitted(
    *, author: User | None = None, organisation: Organisation | None = None, **content
) -> Initiative:
    organisation, author = _author(organisation, author)
    initiative = make_draft(author=author, organisation=organisation, **content)
    return services.initiative_submit(user=author, initiative=initiative)


def make_published(
    *,
    author: User | None = None,
    organisation: Organisation | None = None,
    moderator: User | None = None,
    note: str = "",
    **content,
) -> Initiative:
    """Drafted, submitted and published by a moderator other than the author."""
    organisation, author = _author(organisation, author)
    initiative = make_submitted(author=author, organisation=organisation, **content)
    return services.initiative_publish(
        moderator=moderator or make_user(moderator=True), initiative=initiative, note=note
    )


# The name the public-pages tests use.
make_published_initiative = make_published


def edit(initiative: Initiative, *, user: User, **changes) -> Revision:
    """Save changes to the entry as an editor would: load the current version, change the
    given fields, save naming the version loaded."""
    initiative.refresh_from_db()
    base = services.editable_revision(initiative)
    content = read_revision(base)
    content.update(changes)
    return services.initiative_update(
        user=user, initiative=initiative, content=content, revision_id=base.pk, lock=base.lock
    )
