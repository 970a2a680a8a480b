"""Who may do what to an entry: one table of role, action and outcome, run through the
services (where every rule lives), a few rows also through the pages, and the transitions
that no one may make from the state an entry is in."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from stocktake.accounts.models import ScreeningStatus
from stocktake.initiatives import services
from stocktake.initiatives.models import Initiative, RevisionState, Status
from stocktake.initiatives.selectors import can_view, can_view_revisions

from .factories import (
    complete_content,
    edit,
    make_draft,
    make_org,
    make_published,
    make_submitted,
    make_user,
)

pytestmark = pytest.mark.usefixtures("vocabularies")

BACKEND = "django.contrib.auth.backends.ModelBackend"

ROLES = (
    "visitor",  # no account
    "unscreened",  # a member of the owning organisation, account waiting for screening
    "rejected",  # a member of the owning organisation, account refused at screening
    "contributor",  # a screened member of the owning organisation, the entry's author
    "org_admin",  # an admin of the owning organisation
    "other_contributor",  # a screened member of another organisation
    "other_admin",  # an admin of another organisation
    "moderator",
    "site_admin",  # a superuser
)

Y, N = "allowed", "refused"

# fmt: off
#                           visitor unscr. reject. contr. o.adm. other  o.adm2 moder. s.adm.
MATRIX = {
    "create draft":         (N,     N,     N,      Y,     Y,     N,     N,     Y,     Y),
    "edit draft":           (N,     N,     N,      Y,     Y,     N,     N,     Y,     Y),
    "submit":               (N,     N,     N,      Y,     Y,     N,     N,     Y,     Y),
    "withdraw":             (N,     N,     N,      Y,     Y,     N,     N,     Y,     Y),
    "request changes":      (N,     N,     N,      N,     N,     N,     N,     Y,     Y),
    "publish":              (N,     N,     N,      N,     N,     N,     N,     Y,     Y),
    "archive":              (N,     N,     N,      N,     N,     N,     N,     Y,     Y),
    "restore":              (N,     N,     N,      N,     N,     N,     N,     Y,     Y),
    "discard revision":     (N,     N,     N,      Y,     Y,     N,     N,     Y,     Y),
    "confirm current":      (N,     N,     N,      Y,     Y,     N,     N,     Y,     Y),
    "mark good practice":   (N,     N,     N,      N,     N,     N,     N,     Y,     Y),
    "view draft page":      (N,     N,     N,      Y,     Y,     N,     N,     Y,     Y),
    "view notes, contacts": (N,     N,     N,      Y,     Y,     N,     N,     Y,     Y),
}
# fmt: on
CASES = [
    pytest.param(role, action, outcomes[i], id=f"{role}-{action}-{outcomes[i]}")
    for action, outcomes in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.fixture
def world():
    contributor, org_admin = make_user(), make_user()
    unscreened, rejected = make_user(screened=False), make_user(screened=False)
    rejected.screening_status = ScreeningStatus.REJECTED
    rejected.save(update_fields=["screening_status"])
    organisation = make_org(members=[contributor, unscreened, rejected], admins=[org_admin])
    other_contributor, other_admin = make_user(), make_user()
    make_org(members=[other_contributor], admins=[other_admin])
    people = {
        "visitor": AnonymousUser(),
        "unscreened": unscreened,
        "rejected": rejected,
        "contributor": contributor,
        "org_admin": org_admin,
        "other_contributor": other_contributor,
        "other_admin": other_admin,
        "moderator": make_user(moderator=True),
        "site_admin": make_user(is_superuser=True, is_staff=True),
        # Publishes the entries the table starts from (not one of the roles under test).
        "publisher": make_user(moderator=True),
    }
    return {"people": people, "organisation": organisation}


def _draft(world) -> Initiative:
    return make_draft(author=world["people"]["contributor"], organisation=world["organisation"])


def _submitted(world) -> Initiative:
    return make_submitted(author=world["people"]["contributor"], organisation=world["organisation"])


def _published(world, **content) -> Initiative:
    return make_published(
        author=world["people"]["contributor"],
        organisation=world["organisation"],
        moderator=world["people"]["publisher"],
        note="Published after a call with Ms Example.",
        contact_name="Ms Example",
        contact_email="contact@example.org",
        **content,
    )


def _archived(world) -> Initiative:
    initiative = _published(world)
    return services.initiative_archive(
        moderator=world["people"]["publisher"], initiative=initiative
    )


def _with_pending_revision(world) -> Initiative:
    initiative = _published(world)
    edit(initiative, user=world["people"]["contributor"], keywords=["pending"])
    return initiative


# action: (the entry it starts from, the call; None if the call creates the entry)
ACTIONS = {
    "create draft": (
        None,
        lambda world, user, _: services.initiative_create(
            user=user, organisation=world["organisation"], content=complete_content()
        ),
    ),
    "edit draft": (_draft, lambda world, user, entry: edit(entry, user=user, keywords=["x"])),
    "submit": (
        _draft,
        lambda world, user, entry: services.initiative_submit(user=user, initiative=entry),
    ),
    "withdraw": (
        _draft,
        lambda world, user, entry: services.initiative_withdraw(user=user, initiative=entry),
    ),
    "request changes": (
        _submitted,
        lambda world, user, entry: services.initiative_request_changes(
            moderator=user, initiative=entry, note="Add the results."
        ),
    ),
    "publish": (
        _submitted,
        lambda world, user, entry: services.initiative_publish(moderator=user, initiative=entry),
    ),
    "archive": (
        _published,
        lambda world, user, entry: services.initiative_archive(moderator=user, initiative=entry),
    ),
    "restore": (
        _archived,
        lambda world, user, entry: services.initiative_restore(moderator=user, initiative=entry),
    ),
    "discard revision": (
        _with_pending_revision,
        lambda world, user, entry: services.initiative_discard_revision(
            user=user, initiative=entry
        ),
    ),
    "confirm current": (
        _published,
        lambda world, user, entry: services.initiative_confirm_current(user=user, initiative=entry),
    ),
    "mark good practice": (
        _published,
        lambda world, user, entry: services.initiative_set_good_practice(
            moderator=user, initiative=entry, value=True
        ),
    ),
    # Reads answer yes or no.
    "view draft page": (_draft, lambda world, user, entry: can_view(user=user, initiative=entry)),
    "view notes, contacts": (
        _published,
        lambda world, user, entry: can_view_revisions(user=user, initiative=entry),
    ),
}


def _state(initiative: Initiative | None):
    if initiative is None:
        return Initiative.objects.count()
    initiative.refresh_from_db()
    working = initiative.working_revision
    return (
        initiative.status,
        initiative.is_good_practice,
        initiative.last_confirmed_at,
        working.state if working else None,
        working.lock if working else None,
        initiative.transitions.count(),
    )


@pytest.mark.parametrize("role,action,outcome", CASES)
def test_permission_matrix_through_the_services(world, role, action, outcome):
    assert set(MATRIX) == set(ACTIONS)
    start, call = ACTIONS[action]
    entry = start(world) if start else None
    user = world["people"][role]
    if action.startswith("view"):
        assert call(world, user, entry) is (outcome == Y)
        return
    before = _state(entry)
    if outcome == Y:
        call(world, user, entry)
        assert _state(entry) != before
    else:
        with pytest.raises(PermissionDenied) as refusal:
            call(world, user, entry)
        assert str(refusal.value)  # says why
        assert _state(entry) == before  # and nothing changed


# --- a few rows through the pages ----------------------------------------------------------


def _client(client, world, role):
    user = world["people"][role]
    if role != "visitor":
        client.force_login(user, backend=BACKEND)
    return client


def _refused_status(role: str, response) -> bool:
    if role == "visitor":
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 403


def _http_cases(action: str):
    return [
        pytest.param(role, MATRIX[action][i], id=f"{role}-{MATRIX[action][i]}")
        for i, role in enumerate(ROLES)
    ]


@pytest.mark.parametrize("role,outcome", _http_cases("view draft page"))
def test_the_draft_page_is_for_screened_members_and_moderators(client, world, role, outcome):
    entry = _draft(world)
    response = _client(client, world, role).get(f"/en/initiatives/{entry.pk}/")
    assert response.status_code == (200 if outcome == Y else 404)
    if outcome == Y:
        assert "National AI skills programme" in response.content.decode()


@pytest.mark.parametrize("role,outcome", _http_cases("edit draft"))
def test_the_editing_form_is_for_screened_members_and_moderators(client, world, role, outcome):
    entry = _draft(world)
    response = _client(client, world, role).get(f"/en/initiatives/{entry.pk}/edit/")
    if outcome == Y:
        assert response.status_code == 200
    else:
        assert _refused_status(role, response)


@pytest.mark.parametrize("role,outcome", _http_cases("publish"))
def test_publishing_from_the_pages_is_for_moderators(client, world, role, outcome):
    entry = _submitted(world)
    response = _client(client, world, role).post(f"/en/initiatives/{entry.pk}/act/publish/")
    entry.refresh_from_db()
    if outcome == Y:
        assert response.status_code == 302
        assert entry.status == Status.PUBLISHED
    else:
        assert _refused_status(role, response)
        assert entry.status == Status.SUBMITTED


@pytest.mark.parametrize("role,outcome", _http_cases("withdraw"))
def test_withdrawing_from_the_pages(client, world, role, outcome):
    entry = _draft(world)
    response = _client(client, world, role).post(f"/en/initiatives/{entry.pk}/act/withdraw/")
    entry.refresh_from_db()
    if outcome == Y:
        assert response.status_code == 302
        assert entry.status == Status.WITHDRAWN
    else:
        assert _refused_status(role, response)
        assert entry.status == Status.DRAFT


@pytest.mark.parametrize("role,outcome", _http_cases("view notes, contacts"))
def test_review_notes_and_contacts_are_for_screened_members_and_moderators(
    client, world, role, outcome
):
    entry = _published(world)
    _client(client, world, role)
    history = client.get(f"/en/initiatives/{entry.pk}/history/").content.decode()
    detail = client.get(f"/en/initiatives/{entry.pk}/").content.decode()
    shown = (
        "Published after a call with Ms Example." in history,
        "contact@example.org" in detail,
    )
    assert shown == ((True, True) if outcome == Y else (False, False))


@pytest.mark.parametrize("role,outcome", _http_cases("view draft page"))
def test_a_draft_s_images_are_for_screened_members_and_moderators(
    client, world, role, outcome, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    entry = _draft(world)
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, format="PNG")
    image = services.revision_image_add(
        user=world["people"]["contributor"],
        initiative=entry,
        upload=SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png"),
        alt_text={"en": "A workshop"},
    )
    response = _client(client, world, role).get(f"/en/initiatives/images/{image.pk}/")
    assert response.status_code == (200 if outcome == Y else 404)


# --- transitions no one may make ---------------------------------------------------------


def _withdrawn_submission(world) -> Initiative:
    entry = _submitted(world)
    return services.initiative_withdraw(user=world["people"]["contributor"], initiative=entry)


def _archived_with_submission(world) -> Initiative:
    entry = _with_pending_revision(world)
    services.initiative_submit(user=world["people"]["contributor"], initiative=entry)
    return services.initiative_archive(moderator=world["people"]["publisher"], initiative=entry)


def _act(action: str):
    """The call for an action, made by whoever could make it in another state."""
    moderator_actions = {
        "publish": lambda w, e: services.initiative_publish(
            moderator=w["people"]["moderator"], initiative=e
        ),
        "request changes": lambda w, e: services.initiative_request_changes(
            moderator=w["people"]["moderator"], initiative=e, note="More, please."
        ),
        "archive": lambda w, e: services.initiative_archive(
            moderator=w["people"]["moderator"], initiative=e
        ),
        "restore": lambda w, e: services.initiative_restore(
            moderator=w["people"]["moderator"], initiative=e
        ),
        "mark good practice": lambda w, e: services.initiative_set_good_practice(
            moderator=w["people"]["moderator"], initiative=e, value=True
        ),
    }
    owner_actions = {
        "submit": lambda w, e: services.initiative_submit(
            user=w["people"]["contributor"], initiative=e
        ),
        "edit": lambda w, e: edit(e, user=w["people"]["contributor"], keywords=["late"]),
        "withdraw": lambda w, e: services.initiative_withdraw(
            user=w["people"]["org_admin"], initiative=e
        ),
        "confirm current": lambda w, e: services.initiative_confirm_current(
            user=w["people"]["contributor"], initiative=e
        ),
        "discard revision": lambda w, e: services.initiative_discard_revision(
            user=w["people"]["contributor"], initiative=e
        ),
    }
    return {**moderator_actions, **owner_actions}[action]


REFUSED = [
    # (state the entry is in, action, words the refusal must contain)
    ("withdrawn", "submit", "withdrawn"),
    ("withdrawn", "publish", "withdrawn"),
    ("withdrawn", "request changes", "withdrawn"),
    ("withdrawn", "archive", "published"),
    ("withdrawn", "withdraw", "already withdrawn"),
    ("withdrawn", "edit", "archived or withdrawn"),
    ("withdrawn", "confirm current", "published"),
    ("withdrawn", "mark good practice", "published"),
    ("archived", "submit", "archived"),
    ("archived", "publish", "archived"),
    ("archived", "request changes", "archived"),
    ("archived", "archive", "published"),
    ("archived", "edit", "archived or withdrawn"),
    ("archived", "confirm current", "published"),
    ("archived", "mark good practice", "published"),
    ("archived", "discard revision", "pending revision"),
    ("published", "restore", "archived or withdrawn"),
    ("published", "submit", "nothing to submit"),
    ("published", "publish", "no submission"),
    ("draft", "confirm current", "published"),
    ("draft", "mark good practice", "published"),
    ("draft", "publish", "no submission"),
    ("draft", "archive", "published"),
    ("draft", "restore", "archived or withdrawn"),
    ("draft", "discard revision", "pending revision"),
    ("submitted", "edit", "waiting for review"),
    ("submitted", "submit", "nothing to submit"),
]
STARTS = {
    "withdrawn": _withdrawn_submission,
    "archived": _archived_with_submission,
    "published": _published,
    "draft": _draft,
    "submitted": _submitted,
}


@pytest.mark.parametrize(
    "state,action,reason", [pytest.param(*row, id=f"{row[0]}-{row[1]}") for row in REFUSED]
)
def test_transitions_the_state_does_not_allow_are_refused_with_the_reason(
    world, state, action, reason
):
    entry = STARTS[state](world)
    before = _state(entry)
    with pytest.raises(services.TransitionError) as refusal:
        _act(action)(world, entry)
    assert reason in refusal.value.messages[0]
    assert _state(entry) == before


def test_a_refused_transition_is_answered_409_on_the_pages(client, world):
    entry = _withdrawn_submission(world)
    client.force_login(world["people"]["moderator"], backend=BACKEND)
    response = client.post(f"/en/initiatives/{entry.pk}/act/publish/")
    assert response.status_code == 409
    assert "This entry has been withdrawn" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == Status.WITHDRAWN
    assert entry.working_revision.state == RevisionState.DRAFT
