"""The entry lifecycle and who may do what, through the services the pages and API share."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stocktake.initiatives import services
from stocktake.initiatives.content import read_revision
from stocktake.initiatives.models import RevisionState, Status
from stocktake.initiatives.selectors import initiative_public_get, initiative_public_list

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


@pytest.fixture
def people():
    contributor = make_user()
    org_admin = make_user()
    moderator = make_user(moderator=True)
    other_moderator = make_user(moderator=True)
    outsider = make_user()  # screened, but in another organisation
    unscreened = make_user(screened=False)
    organisation = make_org(members=[contributor, unscreened], admins=[org_admin])
    make_org(members=[outsider])
    return {
        "contributor": contributor,
        "org_admin": org_admin,
        "moderator": moderator,
        "other_moderator": other_moderator,
        "outsider": outsider,
        "unscreened": unscreened,
        "organisation": organisation,
    }


# --- the lifecycle -----------------------------------------------------------------------


def test_draft_submit_request_changes_resubmit_publish(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_draft(author=contributor, organisation=people["organisation"])
    assert initiative.status == Status.DRAFT

    services.initiative_submit(user=contributor, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert initiative.working_revision.state == RevisionState.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_request_changes(
            moderator=moderator, initiative=initiative, note="Add the SDG evidence."
        )
    initiative.refresh_from_db()
    assert initiative.status == Status.CHANGES_REQUESTED
    assert "Add the SDG evidence." in mailoutbox[-1].body

    edit(initiative, user=contributor, keywords=["skills"])
    services.initiative_submit(user=contributor, initiative=initiative)
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_publish(moderator=moderator, initiative=initiative, note="Thanks")
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED
    assert initiative.published_revision.state == RevisionState.PUBLISHED
    assert initiative.working_revision is None
    assert initiative.published_at and initiative.last_confirmed_at

    actions = list(initiative.transitions.values_list("action", "actor", "note"))
    assert [a for a, _actor, _note in actions] == [
        "create", "submit", "request_changes", "revise", "submit", "publish",
    ]  # fmt: skip
    assert actions[2] == ("request_changes", moderator.pk, "Add the SDG evidence.")
    subjects = [message.subject for message in mailoutbox]
    assert any("Changes requested" in subject for subject in subjects)
    assert any("Published" in subject for subject in subjects)


def test_an_edit_to_a_published_entry_waits_as_a_revision(people):
    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_published(
        author=contributor, organisation=people["organisation"], moderator=moderator
    )
    edit(initiative, user=contributor, title={"en": "Renamed programme"})
    services.initiative_submit(user=contributor, initiative=initiative)

    public = initiative_public_get(pk=initiative.pk)
    assert public.published_revision.title["en"] == "National AI skills programme"
    assert public.status == Status.PUBLISHED

    services.initiative_publish(moderator=moderator, initiative=initiative)
    public = initiative_public_get(pk=initiative.pk)
    assert public.published_revision.title["en"] == "Renamed programme"
    assert public.revisions.filter(state=RevisionState.SUPERSEDED).count() == 1


def test_submitting_an_incomplete_draft_names_each_missing_field(people):
    initiative = services.initiative_create(
        user=people["contributor"],
        organisation=people["organisation"],
        content={"original_language": "ar", "title": {"ar": "مبادرة"}},
    )
    with pytest.raises(ValidationError) as error:
        services.initiative_submit(user=people["contributor"], initiative=initiative)
    assert {"summary", "countries", "action_lines", "sdg_goals"} <= set(error.value.message_dict)
    initiative.refresh_from_db()
    assert initiative.status == Status.DRAFT


@pytest.mark.parametrize(
    "action",
    ["publish", "request_changes", "archive"],
)
def test_illegal_transitions_from_draft_are_refused_with_a_message(people, action):
    initiative = make_draft(author=people["contributor"], organisation=people["organisation"])
    service = getattr(services, f"initiative_{action}")
    with pytest.raises(services.TransitionError) as error:
        service(moderator=people["moderator"], initiative=initiative, note="x")
    assert error.value.messages[0]
    initiative.refresh_from_db()
    assert initiative.status == Status.DRAFT


def test_a_submitted_entry_cannot_be_submitted_again_or_edited(people):
    initiative = make_submitted(author=people["contributor"], organisation=people["organisation"])
    with pytest.raises(services.TransitionError):
        services.initiative_submit(user=people["contributor"], initiative=initiative)
    with pytest.raises(services.TransitionError, match="waiting for review"):
        edit(initiative, user=people["contributor"], keywords=["late"])


def test_request_changes_needs_a_note(people):
    initiative = make_submitted(author=people["contributor"], organisation=people["organisation"])
    with pytest.raises(ValidationError) as error:
        services.initiative_request_changes(
            moderator=people["moderator"], initiative=initiative, note="  "
        )
    assert "note" in error.value.message_dict


def test_archived_and_withdrawn_entries_leave_every_public_list(people):
    contributor, moderator = people["contributor"], people["moderator"]
    archived = make_published(
        author=contributor, organisation=people["organisation"], moderator=moderator
    )
    withdrawn = make_published(
        author=contributor, organisation=people["organisation"], moderator=moderator
    )
    kept = make_published(
        author=contributor, organisation=people["organisation"], moderator=moderator
    )
    services.initiative_archive(moderator=moderator, initiative=archived, note="Ended")
    services.initiative_withdraw(user=contributor, initiative=withdrawn)
    assert list(initiative_public_list()) == [kept]
    for hidden in (archived, withdrawn):
        with pytest.raises(type(hidden).DoesNotExist):
            initiative_public_get(pk=hidden.pk)
    services.initiative_restore(moderator=moderator, initiative=archived)
    assert {i.pk for i in initiative_public_list()} == {kept.pk, archived.pk}


def test_confirming_an_entry_resets_the_yearly_clock(people):
    initiative = make_published(
        author=people["contributor"],
        organisation=people["organisation"],
        moderator=people["moderator"],
    )
    before = initiative.last_confirmed_at
    services.initiative_confirm_current(user=people["contributor"], initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.last_confirmed_at > before
    assert initiative.transitions.filter(action="confirm").exists()


# --- the permission matrix ---------------------------------------------------------------

ROLES = ["visitor", "unscreened", "outsider", "contributor", "org_admin", "moderator"]


def actor(people, role):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "visitor" else people[role]


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("visitor", False), ("unscreened", False), ("outsider", False),
        ("contributor", True), ("org_admin", True), ("moderator", True),
    ],
)  # fmt: skip
def test_who_may_create_an_entry_for_the_organisation(people, role, allowed):
    call = lambda: make_draft(author=actor(people, role), organisation=people["organisation"])  # noqa: E731
    if allowed:
        assert call().status == Status.DRAFT
    else:
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("visitor", False), ("unscreened", False), ("outsider", False),
        ("contributor", True), ("org_admin", True), ("moderator", True),
    ],
)  # fmt: skip
def test_who_may_edit_and_submit_a_draft(people, role, allowed):
    initiative = make_draft(author=people["contributor"], organisation=people["organisation"])
    if allowed:
        edit(initiative, user=actor(people, role), keywords=["edited"])
        services.initiative_submit(user=actor(people, role), initiative=initiative)
    else:
        with pytest.raises(PermissionDenied):
            edit(initiative, user=actor(people, role), keywords=["edited"])
        with pytest.raises(PermissionDenied):
            services.initiative_submit(user=actor(people, role), initiative=initiative)


@pytest.mark.parametrize("role", ["visitor", "unscreened", "outsider", "contributor", "org_admin"])
@pytest.mark.parametrize("action", ["publish", "request_changes"])
def test_only_moderators_review_submissions(people, role, action):
    initiative = make_submitted(author=people["contributor"], organisation=people["organisation"])
    with pytest.raises(PermissionDenied):
        getattr(services, f"initiative_{action}")(
            moderator=actor(people, role), initiative=initiative, note="note"
        )


def test_a_moderator_cannot_publish_what_they_submitted(people):
    moderator = people["moderator"]
    initiative = make_submitted(author=moderator, organisation=people["organisation"])
    with pytest.raises(PermissionDenied, match="another moderator"):
        services.initiative_publish(moderator=moderator, initiative=initiative)
    services.initiative_publish(moderator=people["other_moderator"], initiative=initiative)


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("visitor", False), ("unscreened", False), ("outsider", False),
        ("contributor", True),  # the author
        ("org_admin", True), ("moderator", True),
    ],
)  # fmt: skip
def test_who_may_withdraw(people, role, allowed):
    initiative = make_draft(author=people["contributor"], organisation=people["organisation"])
    if allowed:
        services.initiative_withdraw(user=actor(people, role), initiative=initiative)
    else:
        with pytest.raises(PermissionDenied):
            services.initiative_withdraw(user=actor(people, role), initiative=initiative)


def test_a_member_who_is_not_the_author_nor_admin_cannot_withdraw(people):
    colleague = make_user()
    people["organisation"].memberships.create(user=colleague)
    initiative = make_draft(author=people["contributor"], organisation=people["organisation"])
    with pytest.raises(PermissionDenied):
        services.initiative_withdraw(user=colleague, initiative=initiative)


@pytest.mark.parametrize("role", ["visitor", "outsider", "contributor", "org_admin"])
def test_only_moderators_archive_and_mark_good_practice(people, role):
    initiative = make_published(
        author=people["contributor"],
        organisation=people["organisation"],
        moderator=people["moderator"],
    )
    with pytest.raises(PermissionDenied):
        services.initiative_archive(moderator=actor(people, role), initiative=initiative)
    with pytest.raises(PermissionDenied):
        services.initiative_set_good_practice(
            moderator=actor(people, role), initiative=initiative, value=True
        )


@pytest.mark.parametrize("role", ["visitor", "outsider"])
def test_another_organisation_cannot_confirm_an_entry(people, role):
    initiative = make_published(
        author=people["contributor"],
        organisation=people["organisation"],
        moderator=people["moderator"],
    )
    with pytest.raises(PermissionDenied):
        services.initiative_confirm_current(user=actor(people, role), initiative=initiative)


# --- concurrent edits --------------------------------------------------------------------


def test_the_second_of_two_concurrent_saves_is_refused_with_both_versions(people):
    contributor, colleague = people["contributor"], people["org_admin"]
    initiative = make_draft(author=contributor, organisation=people["organisation"])
    base = services.editable_revision(initiative)
    loaded_lock = base.lock  # both open the form at the same version

    first = read_revision(base)
    first["objectives"] = {"en": "First person's objectives"}
    services.initiative_update(
        user=contributor,
        initiative=initiative,
        content=first,
        revision_id=base.pk,
        lock=loaded_lock,
    )

    second = read_revision(base)
    second["objectives"] = {"en": "Second person's objectives"}
    with pytest.raises(services.EditConflict) as conflict:
        services.initiative_update(
            user=colleague,
            initiative=initiative,
            content=second,
            revision_id=base.pk,
            lock=loaded_lock,
        )
    assert conflict.value.current["objectives"] == {"en": "First person's objectives"}
    assert conflict.value.mine["objectives"] == {"en": "Second person's objectives"}
    base.refresh_from_db()
    assert base.objectives == {"en": "First person's objectives"}

    # Saving again on top of the current version keeps the second person's text.
    services.initiative_update(
        user=colleague,
        initiative=initiative,
        content=conflict.value.mine,
        revision_id=conflict.value.revision_id,
        lock=conflict.value.current_lock,
    )
    base.refresh_from_db()
    assert base.objectives == {"en": "Second person's objectives"}


def test_two_editors_of_a_published_entry_cannot_both_start_a_revision(people):
    contributor, colleague = people["contributor"], people["org_admin"]
    initiative = make_published(
        author=contributor, organisation=people["organisation"], moderator=people["moderator"]
    )
    published = initiative.published_revision
    content = read_revision(published)
    services.initiative_update(
        user=contributor,
        initiative=initiative,
        content=content,
        revision_id=published.pk,
        lock=published.lock,
    )
    with pytest.raises(services.EditConflict):
        services.initiative_update(
            user=colleague,
            initiative=initiative,
            content=content,
            revision_id=published.pk,
            lock=published.lock,
        )


# --- drafts and content ------------------------------------------------------------------


def test_a_draft_persists_on_the_server_between_saves(people):
    initiative = services.initiative_create(
        user=people["contributor"],
        organisation=people["organisation"],
        content={"original_language": "fr", "title": {"fr": "Programme national"}},
    )
    edit(initiative, user=people["contributor"], summary={"fr": "Un résumé en cours."})
    edit(initiative, user=people["contributor"], countries=["MA", "TN"])
    initiative.refresh_from_db()
    document = read_revision(initiative.working_revision)
    assert document["summary"] == {"fr": "Un résumé en cours."}
    assert document["countries"] == ["MA", "TN"] or set(document["countries"]) == {"MA", "TN"}
    assert document["title"] == {"fr": "Programme national"}


def test_unknown_codes_and_bad_dates_are_refused_per_field(people):
    with pytest.raises(ValidationError) as error:
        make_draft(
            author=people["contributor"],
            organisation=people["organisation"],
            countries=["XX"],
            sdg_targets=[{"code": "99.9"}],
            start_date="2024-05-01",
            end_date="2023-01-01",
            website="javascript:alert(1)",
        )
    fields = error.value.message_dict
    assert {"countries", "sdg_targets", "end_date", "website"} <= set(fields)
    assert "XX" in fields["countries"][0]


def test_sdg_targets_bring_their_goals(people):
    initiative = make_draft(
        author=people["contributor"],
        organisation=people["organisation"],
        sdg_goals=[],
        sdg_targets=[{"code": "9.c", "evidence": "Broadband"}],
    )
    document = read_revision(initiative.working_revision)
    assert document["sdg_goals"] == ["9"]
    assert document["sdg_targets"] == [{"code": "9.c", "evidence": "Broadband"}]


def test_exactly_one_primary_action_line(people):
    initiative = make_draft(
        author=people["contributor"],
        organisation=people["organisation"],
        action_lines={"primary": "C5", "secondary": ["C5", "C7.4"]},
    )
    links = initiative.working_revision.term_links.filter(
        term__scheme__identifier="wsis-action-lines"
    )
    assert sorted((l.term.code, l.is_primary) for l in links) == [("C5", True), ("C7.4", False)]  # noqa: E741


def test_reminders_go_to_entries_not_confirmed_for_a_year(people, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    old = make_published(
        author=people["contributor"],
        organisation=people["organisation"],
        moderator=people["moderator"],
    )
    make_published(
        author=people["contributor"],
        organisation=people["organisation"],
        moderator=people["moderator"],
    )
    type(old).objects.filter(pk=old.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=400)
    )
    mailoutbox.clear()
    assert services.initiative_send_update_reminders().reminded == 1
    assert services.initiative_send_update_reminders().reminded == 0  # not again within a month
    assert {m.to[0] for m in mailoutbox} == {people["contributor"].email, people["org_admin"].email}
    assert complete_content()["title"]["en"] in mailoutbox[0].subject


# --- withdrawn and archived entries are out of the workflow ------------------------------


def _actions(initiative) -> list[str]:
    return list(initiative.transitions.order_by("pk").values_list("action", flat=True))


@pytest.mark.parametrize("action", ["publish", "request_changes"])
def test_a_withdrawn_submission_can_no_longer_be_reviewed_and_keeps_its_text(people, action):
    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_submitted(
        author=contributor, organisation=people["organisation"], summary={"en": "Kept text."}
    )
    services.initiative_withdraw(user=contributor, initiative=initiative, note="Not ready")
    initiative.refresh_from_db()
    # The submission no longer waits: it is a draft again, with everything typed.
    assert initiative.working_revision.state == RevisionState.DRAFT
    assert initiative.working_revision.summary == {"en": "Kept text."}
    assert _actions(initiative)[-2:] == ["withdraw", "return_to_draft"]
    returned = initiative.transitions.get(action="return_to_draft")
    assert returned.revision == initiative.working_revision
    assert returned.actor == contributor

    with pytest.raises(services.TransitionError, match="withdrawn") as error:
        getattr(services, f"initiative_{action}")(
            moderator=moderator, initiative=initiative, note="A note"
        )
    assert "restore" in error.value.messages[0]
    initiative.refresh_from_db()
    assert initiative.status == Status.WITHDRAWN
    assert initiative.published_revision is None
    assert initiative.working_revision.state == RevisionState.DRAFT


def test_an_archived_entry_s_pending_revision_is_returned_to_draft_and_cannot_be_published(
    people,
):
    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_published(
        author=contributor, organisation=people["organisation"], moderator=moderator
    )
    published = initiative.published_revision
    edit(initiative, user=contributor, title={"en": "Pending title"})
    services.initiative_submit(user=contributor, initiative=initiative)
    services.initiative_archive(moderator=moderator, initiative=initiative, note="Ended")
    initiative.refresh_from_db()
    pending = initiative.working_revision
    assert pending.state == RevisionState.DRAFT
    assert pending.title == {"en": "Pending title"}
    assert _actions(initiative)[-2:] == ["archive", "return_to_draft"]

    for action in ("publish", "request_changes"):
        with pytest.raises(services.TransitionError, match="archived"):
            getattr(services, f"initiative_{action}")(
                moderator=people["other_moderator"], initiative=initiative, note="A note"
            )
    # Nor can the owners send it back to the queue, or edit it, while it is archived.
    with pytest.raises(services.TransitionError, match="archived"):
        services.initiative_submit(user=contributor, initiative=initiative)
    with pytest.raises(services.TransitionError, match="archived or withdrawn"):
        edit(initiative, user=contributor, keywords=["late"])
    with pytest.raises(services.TransitionError, match="archived or withdrawn"):
        services.revision_image_remove(user=contributor, initiative=initiative, image_id=1)
    initiative.refresh_from_db()
    assert initiative.status == Status.ARCHIVED
    assert initiative.published_revision == published


def test_withdrawn_and_archived_entries_leave_the_moderation_queue(people):
    from stocktake.initiatives.models import Initiative
    from stocktake.initiatives.selectors import moderation_queue, moderation_queue_countries

    contributor, moderator = people["contributor"], people["moderator"]
    organisation = people["organisation"]  # in Tunisia
    waiting = make_submitted(author=contributor, organisation=organisation)
    withdrawn = make_submitted(author=contributor, organisation=organisation)
    services.initiative_withdraw(user=contributor, initiative=withdrawn)
    archived = make_published(author=contributor, organisation=organisation, moderator=moderator)
    edit(archived, user=contributor, keywords=["pending"])
    services.initiative_submit(user=contributor, initiative=archived)
    services.initiative_archive(moderator=moderator, initiative=archived)
    # Entries closed before submissions were returned to draft still hold one.
    egyptian = make_org(members=[contributor], country="EG")
    legacy = make_submitted(author=contributor, organisation=egyptian)
    Initiative.objects.filter(pk=legacy.pk).update(status=Status.WITHDRAWN)

    assert list(moderation_queue()) == [waiting]
    assert [term.code for term in moderation_queue_countries()] == ["TN"]
    with pytest.raises(services.TransitionError, match="withdrawn"):
        services.initiative_publish(moderator=moderator, initiative=legacy)


def test_restoring_a_withdrawn_submission_gives_back_a_draft_not_a_submission(people):
    from stocktake.initiatives.selectors import moderation_queue

    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_submitted(author=contributor, organisation=people["organisation"])
    services.initiative_withdraw(user=contributor, initiative=initiative)
    services.initiative_restore(moderator=moderator, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.status == Status.DRAFT
    assert initiative.working_revision.state == RevisionState.DRAFT
    assert initiative not in moderation_queue()
    # The owners carry on from their text and submit again; then it can be published.
    edit(initiative, user=contributor, keywords=["again"])
    services.initiative_submit(user=contributor, initiative=initiative)
    services.initiative_publish(moderator=moderator, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED
    assert read_revision(initiative.published_revision)["keywords"] == ["again"]


def test_restoring_a_closed_entry_that_still_holds_a_submission_returns_it_to_draft(people):
    from stocktake.initiatives.models import Initiative

    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_submitted(author=contributor, organisation=people["organisation"])
    Initiative.objects.filter(pk=initiative.pk).update(status=Status.WITHDRAWN)  # old data
    services.initiative_restore(moderator=moderator, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.status == Status.DRAFT
    assert initiative.working_revision.state == RevisionState.DRAFT
    assert _actions(initiative)[-2:] == ["return_to_draft", "restore"]


def test_restoring_an_archived_entry_keeps_its_pending_revision_as_a_draft(people):
    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_published(
        author=contributor, organisation=people["organisation"], moderator=moderator
    )
    edit(initiative, user=contributor, title={"en": "Pending title"})
    services.initiative_submit(user=contributor, initiative=initiative)
    services.initiative_archive(moderator=moderator, initiative=initiative)
    services.initiative_restore(moderator=moderator, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED
    assert initiative.published_revision.title == {"en": "National AI skills programme"}
    assert initiative.working_revision.state == RevisionState.DRAFT
    services.initiative_submit(user=contributor, initiative=initiative)
    services.initiative_publish(moderator=people["other_moderator"], initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.published_revision.title == {"en": "Pending title"}


def test_restoring_a_withdrawn_entry_with_changes_requested_keeps_the_request(people):
    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_submitted(author=contributor, organisation=people["organisation"])
    services.initiative_request_changes(moderator=moderator, initiative=initiative, note="More")
    services.initiative_withdraw(user=contributor, initiative=initiative)
    services.initiative_restore(moderator=moderator, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.status == Status.CHANGES_REQUESTED
    assert initiative.working_revision.state == RevisionState.CHANGES_REQUESTED


# --- the version a moderator reviewed is kept -------------------------------------------


def test_the_first_edit_after_changes_requested_starts_a_new_version(people):
    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_submitted(author=contributor, organisation=people["organisation"])
    reviewed = initiative.working_revision
    services.initiative_request_changes(moderator=moderator, initiative=initiative, note="More")

    reply = edit(initiative, user=contributor, summary={"en": "A longer summary."})
    assert reply.number == reviewed.number + 1
    assert reply.state == RevisionState.DRAFT
    reviewed.refresh_from_db()
    assert reviewed.state == RevisionState.CHANGES_REQUESTED
    assert reviewed.summary == complete_content()["summary"]  # as the moderator saw it
    initiative.refresh_from_db()
    assert initiative.status == Status.CHANGES_REQUESTED
    assert initiative.working_revision == reply
    assert _actions(initiative)[-1] == "revise"

    # Later saves write over the new version; the reviewed one never changes.
    again = edit(initiative, user=contributor, keywords=["reply"])
    assert again.pk == reply.pk
    services.initiative_submit(user=contributor, initiative=initiative)
    services.initiative_publish(moderator=moderator, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.published_revision == reply
    reviewed.refresh_from_db()
    assert reviewed.state == RevisionState.CHANGES_REQUESTED
    assert read_revision(reviewed)["keywords"] == ["skills", "training"]


def test_resubmitting_without_an_edit_keeps_the_same_version(people):
    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_submitted(author=contributor, organisation=people["organisation"])
    services.initiative_request_changes(moderator=moderator, initiative=initiative, note="Hm")
    services.initiative_submit(user=contributor, initiative=initiative)
    services.initiative_publish(moderator=moderator, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.published_revision.number == 1
    assert initiative.revisions.count() == 1


def test_two_editors_replying_to_changes_requested_still_meet_the_version_check(people):
    contributor, colleague = people["contributor"], people["org_admin"]
    initiative = make_submitted(author=contributor, organisation=people["organisation"])
    services.initiative_request_changes(
        moderator=people["moderator"], initiative=initiative, note="More"
    )
    initiative.refresh_from_db()
    reviewed = services.editable_revision(initiative)
    loaded = reviewed.lock  # both open the form on the reviewed version

    first = read_revision(reviewed)
    first["objectives"] = {"en": "First person's objectives"}
    reply = services.initiative_update(
        user=contributor, initiative=initiative, content=first, revision_id=reviewed.pk, lock=loaded
    )
    second = read_revision(reviewed)
    second["objectives"] = {"en": "Second person's objectives"}
    with pytest.raises(services.EditConflict) as conflict:
        services.initiative_update(
            user=colleague,
            initiative=initiative,
            content=second,
            revision_id=reviewed.pk,
            lock=loaded,
        )
    assert conflict.value.revision_id == reply.pk
    assert conflict.value.current["objectives"] == {"en": "First person's objectives"}
    assert conflict.value.mine["objectives"] == {"en": "Second person's objectives"}
    # Saving again on top of the reply keeps the second person's text, in the same version.
    saved = services.initiative_update(
        user=colleague,
        initiative=initiative,
        content=conflict.value.mine,
        revision_id=conflict.value.revision_id,
        lock=conflict.value.current_lock,
    )
    assert saved.pk == reply.pk
    assert initiative.revisions.count() == 2


def test_changing_images_after_changes_requested_keeps_the_reviewed_images(
    people, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path / "media"
    contributor, moderator = people["contributor"], people["moderator"]
    initiative = make_draft(author=contributor, organisation=people["organisation"])

    def upload(name: str):
        out = io.BytesIO()
        Image.new("RGB", (32, 24), (10, 120, 200)).save(out, format="PNG")
        return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")

    first = services.revision_image_add(
        user=contributor, initiative=initiative, upload=upload("a.png"), alt_text={"en": "A"}
    )
    services.revision_image_add(
        user=contributor, initiative=initiative, upload=upload("b.png"), alt_text={"en": "B"}
    )
    services.initiative_submit(user=contributor, initiative=initiative)
    services.initiative_request_changes(moderator=moderator, initiative=initiative, note="More")
    reviewed = initiative.revisions.get()

    # The page offers the reviewed version's image ids: removing one works on the reply.
    services.revision_image_remove(user=contributor, initiative=initiative, image_id=first.pk)
    initiative.refresh_from_db()
    reply = initiative.working_revision
    assert reply.number == 2 and reply.state == RevisionState.DRAFT
    assert [image.alt_text for image in reply.images.all()] == [{"en": "B"}]
    assert [image.alt_text for image in reviewed.images.all()] == [{"en": "A"}, {"en": "B"}]
    assert read_revision(reply) == read_revision(reviewed)
