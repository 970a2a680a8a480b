"""Moderator pages: the queue of submissions, bulk decisions, version comparison and the list
of entries not confirmed for a year. Every decision goes through the lifecycle services,
which enforce who may do what; these views only validate input, call and report."""

import difflib
import re
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from stocktake.core.permissions import is_moderator

from .. import services
from ..content import FIELD_LABELS, SCALAR_TERM_FIELDS, diff_documents, read_revision
from ..forms import QueueFilterForm
from ..models import TERM_FIELDS, TEXT_FIELDS, Initiative, Revision, RevisionState
from ..selectors import (
    can_view_revisions,
    initiative_get,
    initiative_history,
    initiative_revision_get,
    initiative_revisions,
    initiatives_by_ids,
    moderation_queue_countries,
    moderation_queue_page,
    stale_initiatives,
    terms_by_codes,
)

PAGE_SIZE = 50
MAX_BULK = 200
# Ids and version numbers beyond what the database columns hold are bad input, not a crash.
MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1

BULK_ACTIONS = [("publish", _("Publish")), ("request_changes", _("Request changes"))]


def moderator_required(view):
    """Anonymous visitors go to the login page; signed-in non-moderators get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied(gettext("Only moderators can use the moderation pages."))
        return view(request, *args, **kwargs)

    return wrapper


# --- forms ---------------------------------------------------------------------------------


class EntryIdsField(forms.Field):
    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Choose at least one entry."),
        "invalid": _("The selection of entries is not valid."),
        "too_many": _("Choose at most %(limit)d entries at a time."),
    }

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        try:
            ids = [int(item) for item in value]
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(not 0 < pk <= MAX_ID for pk in ids):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        ids = list(dict.fromkeys(ids))
        if len(ids) > MAX_BULK:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_BULK}
            )
        return ids


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(choices=BULK_ACTIONS)
    ids = EntryIdsField()
    note = forms.CharField(label=_("Note to the authors"), max_length=5000, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "request_changes" and not cleaned.get("note"):
            self.add_error("note", gettext("Say what should change: the note goes to the authors."))
        return cleaned

    @property
    def is_tampered(self) -> bool:
        """Errors that our own pages cannot produce: answered with 400, not a message."""
        return self.has_error("action") or self.has_error("ids", "invalid")


class CompareForm(forms.Form):
    def __init__(self, data):
        super().__init__(data)
        # "from" is a Python keyword, hence fields added by name.
        for name in ("from", "to"):
            self.fields[name] = forms.IntegerField(
                min_value=1, max_value=MAX_VERSION, required=False
            )


# --- the queue -----------------------------------------------------------------------------


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _queue_row(initiative: Initiative, now) -> dict:
    revision = initiative.working_revision
    return {
        "initiative": initiative,
        "title": revision.title_text,
        "organisation": initiative.organisation,
        "country": initiative.organisation.country,
        "is_new": initiative.published_revision_id is None,
        "number": revision.number,
        "submitted_by": _person(revision.submitted_by),
        "submitted_at": revision.submitted_at,
        "waiting": timesince(revision.submitted_at, now, depth=1) if revision.submitted_at else "",
    }


def _queue_url(filters: dict[str, str]) -> str:
    url = reverse("initiatives:queue")
    return f"{url}?{urlencode(filters)}" if filters else url


@require_safe
@moderator_required
def queue_view(request):
    countries = list(moderation_queue_countries())
    form = QueueFilterForm(request.GET, countries=countries)
    filters = form.filters()
    page = Paginator(moderation_queue_page(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "initiatives/moderation/queue.html",
        {
            "filter_form": form,
            "filters": filters,
            "page": page,
            "rows": [_queue_row(initiative, now) for initiative in page.object_list],
            "note_max_length": BulkActionForm.base_fields["note"].max_length,
        },
    )


# --- bulk decisions ------------------------------------------------------------------------


def _decide(action: str, *, moderator, initiative: Initiative, note: str) -> None:
    if action == "publish":
        services.initiative_publish(moderator=moderator, initiative=initiative, note=note)
    else:
        services.initiative_request_changes(moderator=moderator, initiative=initiative, note=note)


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _entry_title(initiative: Initiative) -> str:
    revision = initiative.working_revision or initiative.published_revision
    return revision.title_text if revision else str(initiative.pk)


@require_POST
@moderator_required
def bulk_action_view(request):
    form = BulkActionForm(request.POST)
    filters = QueueFilterForm(request.POST).filters()
    back = _queue_url(filters)  # the queue as the moderator left it
    if not form.is_valid():
        if form.is_tampered:
            return render(
                request,
                "initiatives/moderation/bad_request.html",
                {"errors": form.errors, "back": back},
                status=400,
            )
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)

    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    entries = initiatives_by_ids(ids=form.cleaned_data["ids"])
    done = 0
    for pk in form.cleaned_data["ids"]:
        initiative = entries.get(pk)
        if initiative is None:
            messages.error(request, gettext("One of the selected entries no longer exists."))
            continue
        try:
            # One transaction per entry: a refusal leaves that entry untouched and the
            # decisions already made stand.
            with transaction.atomic():
                _decide(action, moderator=request.user, initiative=initiative, note=note)
        except (PermissionDenied, ValidationError) as error:
            if action == "publish":
                message = gettext("“%(title)s” was not published: %(reason)s")
            else:
                message = gettext("Changes were not requested for “%(title)s”: %(reason)s")
            messages.error(
                request, message % {"title": _entry_title(initiative), "reason": _reason(error)}
            )
        else:
            done += 1
    if done:
        if action == "publish":
            message = ngettext(
                "%(count)d entry was published.", "%(count)d entries were published.", done
            )
        else:
            message = ngettext(
                "Changes were requested for %(count)d entry.",
                "Changes were requested for %(count)d entries.",
                done,
            )
        messages.success(request, message % {"count": done})
    return redirect(back)


# --- comparing versions --------------------------------------------------------------------

WORDS = re.compile(r"(\s+)")


def _word_diff(old: str, new: str) -> tuple[list[dict], list[dict]]:
    """Both texts as segments marked equal / removed / added, word by word."""
    before, after = WORDS.split(old or ""), WORDS.split(new or "")
    old_segments, new_segments = [], []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            old_segments.append({"text": "".join(before[i1:i2]), "op": ""})
            new_segments.append({"text": "".join(after[j1:j2]), "op": ""})
            continue
        if i2 > i1:
            old_segments.append({"text": "".join(before[i1:i2]), "op": "removed"})
        if j2 > j1:
            new_segments.append({"text": "".join(after[j1:j2]), "op": "added"})
    return old_segments, new_segments


def _language(code: str) -> dict:
    try:
        info = get_language_info(code)
    except KeyError:
        return {"code": code, "name": code, "bidi": False}
    return {"code": code, "name": info["name_translated"], "bidi": info["bidi"]}


def _text_row(old: dict, new: dict) -> dict:
    order = [code for code, _name in settings.LANGUAGES]
    codes = sorted(set(old) | set(new), key=lambda c: (order.index(c) if c in order else 99, c))
    languages = []
    for code in codes:
        before, after = old.get(code, ""), new.get(code, "")
        old_segments, new_segments = _word_diff(before, after)
        languages.append(
            {
                **_language(code),
                "old": old_segments if before else [],
                "new": new_segments if after else [],
                "changed": before != after,
            }
        )
    return {"kind": "text", "languages": languages}


def _list_row(old_items: list[dict], new_items: list[dict]) -> dict:
    """Items carry a key (the code) and what to show; those only on one side are marked
    removed or added, those whose details changed are marked changed."""
    old_by_key = {item["key"]: item for item in old_items}
    new_by_key = {item["key"]: item for item in new_items}

    def marked(items, others, missing_mark):
        result = []
        for item in items:
            other = others.get(item["key"])
            if other is None:
                mark = missing_mark
            elif other != item:
                mark = "changed"
            else:
                mark = ""
            result.append({**item, "mark": mark})
        return result

    return {
        "kind": "list",
        "old": marked(old_items, new_by_key, "removed"),
        "new": marked(new_items, old_by_key, "added"),
    }


def _value_row(old: str, new: str) -> dict:
    return {"kind": "value", "old": old, "new": new}


class _Labels:
    """Vocabulary labels, in the reader's language, for every code either version uses."""

    def __init__(self, documents: list[dict]):
        wanted: dict[str, set[str]] = {}
        for document in documents:
            for field, scheme in SCALAR_TERM_FIELDS.items():
                if document.get(field):
                    wanted.setdefault(scheme, set()).add(document[field])
            for field, scheme in TERM_FIELDS.items():
                wanted.setdefault(scheme, set()).update(_codes_of(field, document.get(field)))
            for partner in document.get("partners") or []:
                if partner.get("stakeholder_type"):
                    wanted.setdefault("stakeholder-types", set()).add(partner["stakeholder_type"])
                if partner.get("country"):
                    wanted.setdefault("countries", set()).add(partner["country"])
        self.terms = terms_by_codes(codes=wanted)

    def __call__(self, scheme: str, code: str) -> str:
        term = self.terms.get((scheme, code))
        return term.label if term else code


def _codes_of(field: str, value) -> list[str]:
    if not value:
        return []
    if field == "action_lines":
        return ([value["primary"]] if value.get("primary") else []) + list(value["secondary"])
    if field == "sdg_targets":
        return [target["code"] for target in value]
    return list(value)


def _term_items(field: str, value, labels: _Labels, goal_evidence=None) -> list[dict]:
    scheme = TERM_FIELDS[field]
    if not value:
        return []
    if field == "sdg_goals":
        # A goal's evidence sits beside the goals in the document (sdg_goal_evidence).
        evidence = goal_evidence if isinstance(goal_evidence, dict) else {}
        return [
            {
                "key": code,
                "code": code,
                "text": labels(scheme, code),
                "detail": evidence.get(code, ""),
            }
            for code in value
        ]
    if field == "action_lines":
        primary = value.get("primary")
        return [
            {
                "key": code,
                "code": code,
                "text": labels(scheme, code),
                "detail": gettext("primary") if code == primary else "",
            }
            for code in _codes_of(field, value)
        ]
    if field == "sdg_targets":
        return [
            {
                "key": target["code"],
                "code": target["code"],
                "text": labels(scheme, target["code"]),
                "detail": target.get("evidence", ""),
            }
            for target in value
        ]
    return [
        {"key": code, "code": code, "text": labels(scheme, code), "detail": ""} for code in value
    ]


def _other_items(field: str, value, labels: _Labels) -> list[dict]:
    if not value:
        return []
    if field == "partners":
        items = []
        for partner in value:
            facts = [
                labels("stakeholder-types", partner["stakeholder_type"])
                if partner.get("stakeholder_type")
                else "",
                labels("countries", partner["country"]) if partner.get("country") else "",
            ]
            items.append(
                {
                    "key": partner["name"],
                    "code": "",
                    "text": partner["name"],
                    "detail": gettext(", ").join(fact for fact in facts if fact),
                }
            )
        return items
    if field == "links":
        return [
            {
                "key": link["url"],
                "code": "",
                "text": link["label"] or link["url"],
                "url": link["url"],
            }
            for link in value
        ]
    return [{"key": word, "code": "", "text": word, "detail": ""} for word in value]  # keywords


def _scalar(field: str, value, labels: _Labels) -> str:
    if value in (None, ""):
        return ""
    if field == "original_language":
        return _language(value)["name"]
    if field in SCALAR_TERM_FIELDS:
        return labels(SCALAR_TERM_FIELDS[field], value)
    return str(value)


def compare_rows(old: dict | None, new: dict) -> list[dict]:
    """Every field either version fills, in form order, side by side; changed ones marked."""
    changed = {change["field"] for change in diff_documents(old, new)}
    labels = _Labels([document for document in (old, new) if document])
    old = old or {}
    rows = []
    for field, label in FIELD_LABELS.items():
        before, after = old.get(field), new.get(field)
        if field == "action_lines":
            empty = not _codes_of(field, before) and not _codes_of(field, after)
        else:
            empty = not before and not after
        if empty:
            continue
        if field in TEXT_FIELDS:
            row = _text_row(before or {}, after or {})
        elif field in TERM_FIELDS:
            row = _list_row(
                _term_items(field, before, labels, old.get("sdg_goal_evidence")),
                _term_items(field, after, labels, new.get("sdg_goal_evidence")),
            )
        elif field in ("partners", "links", "keywords"):
            row = _list_row(_other_items(field, before, labels), _other_items(field, after, labels))
        else:
            row = _value_row(_scalar(field, before, labels), _scalar(field, after, labels))
        rows.append({**row, "field": field, "label": label, "changed": field in changed})
    return rows


def _previous(revisions: list[Revision], number: int) -> Revision | None:
    earlier = [revision for revision in revisions if revision.number < number]
    return earlier[-1] if earlier else None


# Versions that were public: a review cycle starts after the last of them.
ONCE_PUBLISHED = {RevisionState.PUBLISHED, RevisionState.SUPERSEDED}


def _reviewed(revisions: list[Revision], number: int) -> Revision | None:
    """The version a moderator last asked changes on before version `number`, in the same
    review cycle (since the last published version): what a resubmission answers."""
    for revision in reversed(revisions):
        if revision.number >= number:
            continue
        if revision.state in ONCE_PUBLISHED:
            return None
        if revision.state == RevisionState.CHANGES_REQUESTED:
            return revision
    return None


def _baselines(initiative, new: Revision, old: Revision | None, reviewed, here: str) -> list:
    """The versions a moderator judges a submission against, as links."""
    choices = []
    if reviewed is not None:
        label = gettext("the version reviewed when changes were requested (version %(number)d)")
        choices.append((reviewed, label % {"number": reviewed.number}))
    published = initiative.published_revision
    if published is not None and published.number < new.number:
        label = gettext("the published version (version %(number)d)")
        choices.append((published, label % {"number": published.number}))
    return [
        {
            "label": label,
            "url": f"{here}?{urlencode({'from': revision.number, 'to': new.number})}",
            "current": old is not None and old.pk == revision.pk,
        }
        for revision, label in choices
    ]


def _review_note(initiative: Initiative, reviewed: Revision | None) -> str:
    """What the moderator asked when requesting changes on the reviewed version."""
    if reviewed is None:
        return ""
    notes = [
        transition.note
        for transition in initiative_history(initiative=initiative)
        if transition.action == "request_changes" and transition.revision_id == reviewed.pk
    ]
    return notes[-1] if notes else ""


def _compare_crumbs(user, title: str) -> list[dict]:
    if is_moderator(user):
        first = {"label": gettext("Moderation queue"), "url": reverse("initiatives:queue")}
    else:
        first = {"label": gettext("My entries"), "url": reverse("initiatives:mine")}
    return [first, {"label": title, "url": ""}]


def _bad_request(request, message: str, back: str):
    return render(
        request,
        "initiatives/moderation/bad_request.html",
        {"errors": {"": [message]}, "back": back},
        status=400,
    )


@require_safe
@login_required
def compare_view(request, pk: int):
    try:
        initiative = initiative_get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404(gettext("There is no entry with this number.")) from None
    if not can_view_revisions(user=request.user, initiative=initiative):
        raise PermissionDenied(
            gettext("Only the entry's organisation and moderators can compare its versions.")
        )
    form = CompareForm(request.GET)
    here = reverse("initiatives:compare", args=[initiative.pk])
    if not form.is_valid():
        return _bad_request(request, gettext("Choose versions by their number."), here)

    versions = list(initiative_revisions(initiative=initiative))
    current = initiative.working_revision or initiative.published_revision
    to_number = form.cleaned_data["to"] or (current.number if current else None)
    from_number = form.cleaned_data["from"]
    reviewed = _reviewed(versions, to_number) if to_number is not None else None
    if from_number is None and to_number is not None:
        working = initiative.working_revision
        if working and to_number == working.number and reviewed:
            # A resubmission is judged first against the version that was reviewed.
            from_number = reviewed.number
        elif working and to_number == working.number and initiative.published_revision:
            # A pending edit is judged against what visitors see now.
            from_number = initiative.published_revision.number
        else:
            earlier = _previous(versions, to_number)
            from_number = earlier.number if earlier else None
    try:
        new = initiative_revision_get(initiative=initiative, number=to_number)
        old = (
            initiative_revision_get(initiative=initiative, number=from_number)
            if from_number is not None
            else None
        )
    except Revision.DoesNotExist:
        raise Http404(gettext("This entry has no version with this number.")) from None

    new_document = read_revision(new)
    old_document = read_revision(old) if old else None
    rows = compare_rows(old_document, new_document)
    pending = (
        new.pk == initiative.working_revision_id
        and new.state == RevisionState.SUBMITTED
        and is_moderator(request.user)
    )
    return render(
        request,
        "initiatives/moderation/compare.html",
        {
            "initiative": initiative,
            "old": old,
            "new": new,
            "rows": rows,
            "changed_rows": [row for row in rows if row["changed"]],
            "versions": [
                {"revision": version, "previous": _previous(versions, version.number)}
                for version in versions
            ],
            "baselines": _baselines(initiative, new, old, reviewed, here),
            "reviewed": reviewed,
            "review_note": _review_note(initiative, reviewed),
            "can_decide": pending,
            "own_submission": pending and new.submitted_by_id == request.user.pk,
            "is_moderator": is_moderator(request.user),
            # After a decision, back to the queue for the next submission.
            "queue_url": reverse("initiatives:queue"),
            "crumbs": _compare_crumbs(request.user, new.title_text),
            "title": new.title_text,
            "note_max_length": BulkActionForm.base_fields["note"].max_length,
        },
    )


# --- the yearly call for updates -----------------------------------------------------------


@require_safe
@moderator_required
def stale_view(request):
    page = Paginator(stale_initiatives(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/moderation/stale.html",
        {"page": page, "stale_after_days": services.STALE_AFTER.days},
    )
