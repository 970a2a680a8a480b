"""Writes to stocktaking entries: drafting, the moderation lifecycle, the yearly call for
updates. Every rule about who may do what is enforced here, for the pages and the API alike.

Lifecycle: draft → submitted → changes requested ⇄ submitted → published → archived, or
withdrawn from any state. Editing a published entry creates a pending revision that goes
through the same review while visitors keep seeing the published one. The version a
moderator reviewed is never written over: the first edit after "changes requested" starts a
new version, so the resubmission can be compared with what was reviewed.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stocktake.core.permissions import is_moderator, require
from stocktake.organisations.models import MembershipRole, Organisation
from stocktake.organisations.selectors import membership_role
from stocktake.search.services import search_index_update

from . import notifications
from .content import copy_revision, read_revision, validate_content, write_revision
from .images import reencode_image
from .models import (
    Initiative,
    Origin,
    Revision,
    RevisionImage,
    RevisionState,
    Status,
    Transition,
)

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(days=365)
REMIND_EVERY = timedelta(days=30)
EDITABLE_REVISION_STATES = {RevisionState.DRAFT, RevisionState.CHANGES_REQUESTED}
EDIT_REFUSED = gettext_lazy(
    "Only members of the organisation that owns this entry, or moderators, can edit it."
)
CLOSED_STATUSES = (Status.ARCHIVED, Status.WITHDRAWN)
# Withdrawn and archived entries are out of the workflow until a moderator restores them.
CLOSED_REFUSALS = {
    Status.WITHDRAWN: gettext_lazy(
        "This entry has been withdrawn: a moderator must restore it before it can be "
        "submitted, reviewed or published."
    ),
    Status.ARCHIVED: gettext_lazy(
        "This entry has been archived: a moderator must restore it before it can be "
        "submitted, reviewed or published."
    ),
}


class TransitionError(ValidationError):
    """An action that the entry's current state does not allow."""


@dataclass
class EditConflict(Exception):
    """Someone saved the entry since the editor loaded it. Both versions are carried so that
    nothing either person typed is lost."""

    revision_id: int
    current_lock: int
    current: dict
    mine: dict


# --- who may -----------------------------------------------------------------------------


def can_contribute(*, user, organisation: Organisation) -> bool:
    """Screened members of the organisation, and moderators, may draft its entries."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_moderator(user):
        return True
    return user.is_screened and membership_role(user=user, organisation=organisation) is not None


def can_edit(*, user, initiative: Initiative) -> bool:
    return can_contribute(user=user, organisation=initiative.organisation)


def can_withdraw(*, user, initiative: Initiative) -> bool:
    if is_moderator(user):
        return True
    if not (user and user.is_authenticated and user.is_active and user.is_screened):
        return False
    role = membership_role(user=user, organisation=initiative.organisation)
    return role == MembershipRole.ADMIN or (
        role is not None and initiative.created_by_id == user.pk
    )


# --- helpers -----------------------------------------------------------------------------


def locked_for_update(initiative: Initiative) -> Initiative:
    """Re-read the entry under a row lock so that two actions cannot interleave."""
    return (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("organisation", "working_revision", "published_revision")
        .get(pk=initiative.pk)
    )


def record_transition(
    initiative: Initiative,
    *,
    action: str,
    from_status: str,
    actor,
    note: str = "",
    revision: Revision | None = None,
) -> Transition:
    return Transition.objects.create(
        initiative=initiative,
        revision=revision,
        action=action,
        from_status=from_status,
        to_status=initiative.status,
        actor=actor if actor and actor.is_authenticated else None,
        note=note.strip(),
    )


def _refuse(message: str) -> None:
    raise TransitionError(message)


def _refuse_if_closed(initiative: Initiative) -> None:
    if initiative.status in CLOSED_REFUSALS:
        _refuse(str(CLOSED_REFUSALS[initiative.status]))


def next_revision_number(initiative: Initiative) -> int:
    return (initiative.revisions.aggregate(n=Max("number"))["n"] or 0) + 1


def _return_to_draft(initiative: Initiative, *, actor, from_status: str) -> None:
    """A submission of an entry that leaves the workflow stops waiting for review; its text
    stays, as a draft, for when the entry is restored."""
    revision = initiative.working_revision
    if revision is None or revision.state != RevisionState.SUBMITTED:
        return
    revision.state = RevisionState.DRAFT
    revision.save(update_fields=["state", "updated_at"])
    record_transition(
        initiative,
        action="return_to_draft",
        from_status=from_status,
        actor=actor,
        revision=revision,
    )


# --- drafting ----------------------------------------------------------------------------


def _conflict(base: Revision, mine: dict) -> EditConflict:
    base.refresh_from_db()
    return EditConflict(
        revision_id=base.pk, current_lock=base.lock, current=read_revision(base), mine=mine
    )


@transaction.atomic
def initiative_create(
    *,
    user,
    organisation: Organisation,
    content: dict,
    origin: str = Origin.SUBMITTED,
    external_ids: dict | None = None,
) -> Initiative:
    """Start a draft entry for an organisation. A draft needs a title; the rest can follow."""
    require(
        can_contribute(user=user, organisation=organisation),
        _(
            "You can add entries for an organisation once your account has been screened "
            "and you are a member of that organisation."
        ),
    )
    clean = validate_content(content, for_submission=False)
    initiative = Initiative.objects.create(
        organisation=organisation,
        created_by=user,
        status=Status.DRAFT,
        origin=origin,
        external_ids=external_ids or {},
    )
    revision = Revision(initiative=initiative, number=1, created_by=user)
    write_revision(revision, clean)
    initiative.working_revision = revision
    initiative.save(update_fields=["working_revision"])
    record_transition(initiative, action="create", from_status="", actor=user, revision=revision)
    return initiative


def editable_revision(initiative: Initiative) -> Revision:
    """The revision an editor works on: the draft or requested changes, else (for a published
    entry with no pending edit) the published one, which the first save copies."""
    if initiative.status in CLOSED_STATUSES:
        _refuse(_("This entry is archived or withdrawn: it can no longer be edited."))
    revision = initiative.working_revision
    if revision is not None and revision.state == RevisionState.SUBMITTED:
        _refuse(_("This entry is waiting for review; edit it again once a moderator has answered."))
    if revision is None:
        # A published entry with no pending revision: the first edit starts one.
        return initiative.published_revision
    return revision


@transaction.atomic
def initiative_update(
    *, user, initiative: Initiative, content: dict, revision_id: int, lock: int
) -> Revision:
    """Save the editor's content over the revision they loaded (`revision_id` at `lock`).

    If someone saved in between, raise EditConflict with both versions: nothing is
    overwritten. Editing a published entry creates a pending revision instead."""
    initiative = locked_for_update(initiative)
    require(
        can_edit(user=user, initiative=initiative),
        str(EDIT_REFUSED),
    )
    base = editable_revision(initiative)
    if base.pk != revision_id or base.lock != lock:
        raise _conflict(base, content)
    clean = validate_content(content, for_submission=False)
    # Take the version: a concurrent writer that loaded the same lock now fails here.
    if not Revision.objects.filter(pk=base.pk, lock=lock).update(lock=F("lock") + 1):
        raise _conflict(base, content)
    if base.state == RevisionState.DRAFT:
        base.refresh_from_db()
        write_revision(base, clean)
        return base
    revision, _images = _start_revision(initiative, base, user=user, clean=clean)
    return revision


def _start_revision(
    initiative: Initiative, base: Revision, *, user, clean: dict | None = None
) -> tuple[Revision, dict[int, int]]:
    """A new working revision on top of `base` — the published version, or the version a
    moderator reviewed when asking for changes — which stays exactly as it is. It holds the
    editor's `clean` content, or a copy of base's. Returns it and {base image id: copy id}."""
    revision = Revision(
        initiative=initiative, number=next_revision_number(initiative), created_by=user
    )
    if clean is not None:
        write_revision(revision, clean)
    else:
        copy_revision(Revision.objects.get(pk=base.pk), revision)
    images = {}
    for image in base.images.all():
        copy = RevisionImage.objects.create(
            revision=revision,
            image=image.image.name,
            alt_text=image.alt_text,
            width=image.width,
            height=image.height,
            sort_order=image.sort_order,
        )
        images[image.pk] = copy.pk
    initiative.working_revision = revision
    initiative.save(update_fields=["working_revision", "updated_at"])
    record_transition(
        initiative, action="revise", from_status=initiative.status, actor=user, revision=revision
    )
    return revision, images


# --- the lifecycle -----------------------------------------------------------------------


@transaction.atomic
def initiative_submit(*, user, initiative: Initiative, note: str = "") -> Initiative:
    initiative = locked_for_update(initiative)
    require(
        can_edit(user=user, initiative=initiative),
        _("Only members of the organisation that owns this entry can submit it."),
    )
    _refuse_if_closed(initiative)
    revision = initiative.working_revision
    if revision is None or revision.state not in EDITABLE_REVISION_STATES:
        _refuse(_("There is nothing to submit: the entry has no draft or requested changes."))
    validate_content(read_revision(revision), for_submission=True)
    now = timezone.now()
    from_status = initiative.status
    revision.state = RevisionState.SUBMITTED
    revision.submitted_by, revision.submitted_at = user, now
    revision.save(update_fields=["state", "submitted_by", "submitted_at", "updated_at"])
    if initiative.status != Status.PUBLISHED:
        initiative.status = Status.SUBMITTED
    initiative.submitted_at = now
    initiative.save(update_fields=["status", "submitted_at", "updated_at"])
    record_transition(
        initiative,
        action="submit",
        from_status=from_status,
        actor=user,
        note=note,
        revision=revision,
    )
    notifications.on_commit(notifications.submitted, initiative_id=initiative.pk)
    return initiative


def _pending(initiative: Initiative) -> Revision:
    _refuse_if_closed(initiative)
    revision = initiative.working_revision
    if revision is None or revision.state != RevisionState.SUBMITTED:
        _refuse(_("This entry has no submission waiting for review."))
    return revision


@transaction.atomic
def initiative_request_changes(*, moderator, initiative: Initiative, note: str) -> Initiative:
    initiative = locked_for_update(initiative)
    require(is_moderator(moderator), _("Only moderators can request changes."))
    revision = _pending(initiative)
    if not note.strip():
        raise ValidationError({"note": _("Say what should change: the note goes to the authors.")})
    from_status = initiative.status
    revision.state = RevisionState.CHANGES_REQUESTED
    revision.save(update_fields=["state", "updated_at"])
    if initiative.status != Status.PUBLISHED:
        initiative.status = Status.CHANGES_REQUESTED
    initiative.save(update_fields=["status", "updated_at"])
    record_transition(
        initiative,
        action="request_changes",
        from_status=from_status,
        actor=moderator,
        note=note,
        revision=revision,
    )
    notifications.on_commit(notifications.changes_requested, initiative_id=initiative.pk)
    return initiative


@transaction.atomic
def initiative_publish(*, moderator, initiative: Initiative, note: str = "") -> Initiative:
    initiative = locked_for_update(initiative)
    require(is_moderator(moderator), _("Only moderators can publish entries."))
    revision = _pending(initiative)
    require(
        revision.submitted_by_id != moderator.pk,
        _("You submitted this version yourself: another moderator must review and publish it."),
    )
    now = timezone.now()
    from_status = initiative.status
    if initiative.published_revision_id:
        Revision.objects.filter(pk=initiative.published_revision_id).update(
            state=RevisionState.SUPERSEDED
        )
    revision.state = RevisionState.PUBLISHED
    revision.save(update_fields=["state", "updated_at"])
    initiative.status = Status.PUBLISHED
    initiative.published_revision = revision
    initiative.working_revision = None
    initiative.published_at = initiative.published_at or now
    initiative.last_published_at = now
    initiative.last_confirmed_at = now
    initiative.save()
    record_transition(
        initiative,
        action="publish",
        from_status=from_status,
        actor=moderator,
        note=note,
        revision=revision,
    )
    notifications.on_commit(notifications.published, initiative_id=initiative.pk)
    search_index_update(initiative=initiative)
    return initiative


@transaction.atomic
def initiative_archive(*, moderator, initiative: Initiative, note: str = "") -> Initiative:
    initiative = locked_for_update(initiative)
    require(is_moderator(moderator), _("Only moderators can archive entries."))
    if initiative.status != Status.PUBLISHED:
        _refuse(_("Only a published entry can be archived."))
    initiative.status = Status.ARCHIVED
    initiative.save(update_fields=["status", "updated_at"])
    record_transition(
        initiative, action="archive", from_status=Status.PUBLISHED, actor=moderator, note=note
    )
    _return_to_draft(initiative, actor=moderator, from_status=Status.ARCHIVED)
    search_index_update(initiative=initiative)
    return initiative


@transaction.atomic
def initiative_restore(*, moderator, initiative: Initiative, note: str = "") -> Initiative:
    """Bring an archived or withdrawn entry back: published if it ever was, else a draft (or
    changes requested, if that is where it was). A submission never returns to the queue by
    itself: the owners submit again."""
    initiative = locked_for_update(initiative)
    require(is_moderator(moderator), _("Only moderators can restore entries."))
    if initiative.status not in (Status.ARCHIVED, Status.WITHDRAWN):
        _refuse(_("Only an archived or withdrawn entry can be restored."))
    from_status = initiative.status
    # Withdrawing or archiving returned any submission to draft; entries closed before that
    # rule may still hold one: it does not go back to the queue on its own either.
    _return_to_draft(initiative, actor=moderator, from_status=from_status)
    working = initiative.working_revision
    if initiative.published_revision_id:
        initiative.status = Status.PUBLISHED
    elif working is not None and working.state == RevisionState.CHANGES_REQUESTED:
        # Back where it was, so the reply is still compared with the reviewed version.
        initiative.status = Status.CHANGES_REQUESTED
    else:
        initiative.status = Status.DRAFT
    # A merged duplicate brought back is an entry of its own again (merging.py): its address
    # no longer leads to the entry it was merged into, even if it is closed again later.
    initiative.merged_into = None
    initiative.save(update_fields=["status", "merged_into", "updated_at"])
    record_transition(
        initiative, action="restore", from_status=from_status, actor=moderator, note=note
    )
    search_index_update(initiative=initiative)
    return initiative


@transaction.atomic
def initiative_withdraw(*, user, initiative: Initiative, note: str = "") -> Initiative:
    initiative = locked_for_update(initiative)
    require(
        can_withdraw(user=user, initiative=initiative),
        _("Only the entry's author, an admin of its organisation or a moderator can withdraw it."),
    )
    if initiative.status == Status.WITHDRAWN:
        _refuse(_("This entry is already withdrawn."))
    from_status = initiative.status
    initiative.status = Status.WITHDRAWN
    initiative.save(update_fields=["status", "updated_at"])
    record_transition(initiative, action="withdraw", from_status=from_status, actor=user, note=note)
    _return_to_draft(initiative, actor=user, from_status=Status.WITHDRAWN)
    search_index_update(initiative=initiative)
    return initiative


@transaction.atomic
def initiative_discard_revision(*, user, initiative: Initiative) -> Initiative:
    """Drop the pending edit of a published entry; the published version stays as it is."""
    initiative = locked_for_update(initiative)
    require(
        can_edit(user=user, initiative=initiative),
        str(EDIT_REFUSED),
    )
    revision = initiative.working_revision
    if initiative.status != Status.PUBLISHED or revision is None:
        _refuse(_("There is no pending revision to discard."))
    revision.state = RevisionState.DISCARDED
    revision.save(update_fields=["state", "updated_at"])
    initiative.working_revision = None
    initiative.save(update_fields=["working_revision", "updated_at"])
    record_transition(
        initiative, action="discard", from_status=Status.PUBLISHED, actor=user, revision=revision
    )
    return initiative


@transaction.atomic
def initiative_confirm_current(*, user, initiative: Initiative) -> Initiative:
    """The yearly call for updates: the owners confirm, in one click, that it is current."""
    initiative = locked_for_update(initiative)
    require(
        can_edit(user=user, initiative=initiative),
        _("Only members of the organisation that owns this entry can confirm it."),
    )
    if initiative.status != Status.PUBLISHED:
        _refuse(_("Only a published entry can be confirmed as current."))
    initiative.last_confirmed_at = timezone.now()
    initiative.save(update_fields=["last_confirmed_at", "updated_at"])
    record_transition(initiative, action="confirm", from_status=Status.PUBLISHED, actor=user)
    return initiative


@transaction.atomic
def initiative_set_good_practice(*, moderator, initiative: Initiative, value: bool) -> Initiative:
    initiative = locked_for_update(initiative)
    require(is_moderator(moderator), _("Only moderators can mark good practices."))
    if value and initiative.status != Status.PUBLISHED:
        _refuse(_("Only a published entry can be marked as a good practice."))
    initiative.is_good_practice = value
    initiative.save(update_fields=["is_good_practice", "updated_at"])
    record_transition(
        initiative,
        action="mark_good_practice" if value else "unmark_good_practice",
        from_status=initiative.status,
        actor=moderator,
    )
    search_index_update(initiative=initiative)
    return initiative


MAX_IMAGES = 8


def _draft_revision(initiative: Initiative, *, user) -> tuple[Revision, dict[int, int]]:
    """The revision whose images may change, and {image id: id on it}: the ids change when
    the version a moderator reviewed is first changed, as it is kept and a new one started."""
    if initiative.status in CLOSED_STATUSES:
        _refuse(_("This entry is archived or withdrawn: it can no longer be edited."))
    revision = initiative.working_revision
    if revision is None or revision.state not in EDITABLE_REVISION_STATES:
        _refuse(
            _(
                "Images can be changed on a draft or on requested changes. To change the images "
                "of a published entry, save an edit first: it starts a pending revision."
            )
        )
    if revision.state == RevisionState.CHANGES_REQUESTED:
        return _start_revision(initiative, revision, user=user)
    return revision, {}


@transaction.atomic
def revision_image_add(
    *, user, initiative: Initiative, upload, alt_text: dict[str, str]
) -> RevisionImage:
    """Attach an image to the entry's draft, checked by content and re-encoded."""
    initiative = locked_for_update(initiative)
    require(can_edit(user=user, initiative=initiative), str(EDIT_REFUSED))
    revision, _images = _draft_revision(initiative, user=user)
    if revision.images.count() >= MAX_IMAGES:
        raise ValidationError(
            {"image": _("An entry can have at most %(count)d images.") % {"count": MAX_IMAGES}}
        )
    alt_text = {code: text.strip()[:300] for code, text in alt_text.items() if text.strip()}
    if not alt_text:
        raise ValidationError(
            {"alt_text": _("Describe the image in a few words for people who cannot see it.")}
        )
    try:
        content, width, height = reencode_image(upload)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from None
    image = RevisionImage(
        revision=revision,
        alt_text=alt_text,
        width=width,
        height=height,
        sort_order=revision.images.count(),
    )
    image.image.save(content.name, content, save=False)
    image.save()
    return image


@transaction.atomic
def revision_image_remove(*, user, initiative: Initiative, image_id: int) -> None:
    initiative = locked_for_update(initiative)
    require(can_edit(user=user, initiative=initiative), str(EDIT_REFUSED))
    revision, images = _draft_revision(initiative, user=user)
    deleted, _rows = revision.images.filter(pk=images.get(image_id, image_id)).delete()
    if not deleted:
        raise ValidationError(_("There is no such image on this draft."))


@dataclass
class ReminderReport:
    """What a round of reminders did: entries whose owners were reminded, and the ids of
    those whose e-mail failed (logged; they are tried again on the next round)."""

    reminded: int = 0
    failed: list[int] = field(default_factory=list)


def initiative_send_update_reminders(*, now=None) -> ReminderReport:
    """Remind the owners of published entries not confirmed for 12 months (at most monthly).

    Each entry is claimed before its e-mail goes (so two rounds running at once do not both
    send it) and released if sending fails: one bad address does not stop the others."""
    now = now or timezone.now()
    due = (
        Initiative.objects.filter(status=Status.PUBLISHED, last_confirmed_at__lt=now - STALE_AFTER)
        .exclude(last_reminded_at__gte=now - REMIND_EVERY)
        .order_by("pk")
    )
    report = ReminderReport()
    for pk, previous in list(due.values_list("pk", "last_reminded_at")):
        if not due.filter(pk=pk).update(last_reminded_at=now):
            continue  # confirmed, or claimed by another round, in the meantime
        try:
            notifications.update_reminder(initiative_id=pk)
        except Exception:
            logger.exception("Could not send the update reminder for entry %s.", pk)
            Initiative.objects.filter(pk=pk, last_reminded_at=now).update(last_reminded_at=previous)
            report.failed.append(pk)
        else:
            report.reminded += 1
    return report
