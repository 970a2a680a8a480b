"""Merging duplicate entries (moderators).

The duplicate is archived through the ordinary archive service (so the search index and the
history follow in the same transaction), keeps a pointer to the entry it was merged into, and
a "merge" transition is recorded on both entries. Nothing is deleted: the duplicate's
revisions and history stay with it, readable by moderators; visitors who open its address are
sent on to the entry that was kept.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from stocktake.core.permissions import is_moderator, require

from . import services
from .models import Initiative, Status
from .services import TransitionError, locked_for_update, record_transition


def is_merged(initiative: Initiative) -> bool:
    """Merged into another entry and not brought back since (a restored entry is published
    again and stands on its own)."""
    return initiative.merged_into_id is not None and initiative.status != Status.PUBLISHED


def merge_refusal(*, duplicate: Initiative, into: Initiative) -> str | None:
    """Why `duplicate` cannot be merged into `into` as they stand, or None if it can.
    The merge service asks again under lock; the confirmation page asks to warn early."""
    if duplicate.pk == into.pk:
        return _("An entry cannot be merged into itself.")
    if is_merged(duplicate):
        return _("This entry has already been merged into entry %(number)s.") % {
            "number": duplicate.merged_into_id
        }
    if duplicate.status in (Status.ARCHIVED, Status.WITHDRAWN):
        return _("This entry is archived or withdrawn: only a published entry can be merged.")
    if duplicate.status != Status.PUBLISHED:
        return _(
            "Only a published entry can be merged into another. A submission that repeats an "
            "existing entry can be sent back to its authors with a request for changes."
        )
    if is_merged(into):
        return _(
            "Entry %(number)s was itself merged into entry %(target)s: merge into entry "
            "%(target)s instead."
        ) % {"number": into.pk, "target": into.merged_into_id}
    if into.status != Status.PUBLISHED or into.published_revision_id is None:
        return _(
            "Entry %(number)s is not published: an entry can only be merged into a published one."
        ) % {"number": into.pk}
    return None


@transaction.atomic
def initiative_merge(
    *, moderator, duplicate: Initiative, into: Initiative, note: str = ""
) -> Initiative:
    """Merge `duplicate` into `into` (the entry kept). Returns the archived duplicate."""
    require(is_moderator(moderator), _("Only moderators can merge entries."))
    if duplicate.pk == into.pk:
        raise TransitionError(_("An entry cannot be merged into itself."))
    # Both rows locked, lower id first, so that two merges of the same pair cannot deadlock.
    locked = {entry.pk: locked_for_update(entry) for entry in sorted((duplicate, into), key=_pk)}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    refusal = merge_refusal(duplicate=duplicate, into=into)
    if refusal:
        raise TransitionError(refusal)
    from_status = duplicate.status
    duplicate = services.initiative_archive(moderator=moderator, initiative=duplicate)
    duplicate.merged_into = into
    duplicate.save(update_fields=["merged_into", "updated_at"])
    # Entries merged earlier into this duplicate now lead to the kept one: one step, no chain.
    Initiative.objects.filter(merged_into=duplicate).update(merged_into=into)
    record_transition(
        duplicate, action="merge", from_status=from_status, actor=moderator, note=note
    )
    record_transition(into, action="merge", from_status=into.status, actor=moderator, note=note)
    return duplicate


def _pk(initiative: Initiative) -> int:
    return initiative.pk


# --- reads ---------------------------------------------------------------------------------


def merged_into_public(*, pk: int) -> int | None:
    """The number of the published entry that entry `pk` was merged into, if `pk` is a
    merged duplicate no longer public itself (where its address sends visitors)."""
    return (
        Initiative.objects.filter(
            pk=pk,
            merged_into__status=Status.PUBLISHED,
            merged_into__published_revision__isnull=False,
        )
        .exclude(status=Status.PUBLISHED)
        .values_list("merged_into_id", flat=True)
        .first()
    )


def merged_duplicates(*, initiative: Initiative) -> list[Initiative]:
    """The entries merged into this one, for moderators, in the order they were created."""
    return list(
        initiative.merged_duplicates.exclude(status=Status.PUBLISHED)
        .select_related("published_revision", "working_revision")
        .order_by("pk")
    )


def merged_banner(initiative: Initiative) -> str | None:
    """What the duplicate's own page tells its owners and moderators, if it was merged."""
    if not is_merged(initiative):
        return None
    return _(
        "This entry was merged into entry %(number)s. Visitors who open this page are taken "
        "to that entry."
    ) % {"number": initiative.merged_into_id}
