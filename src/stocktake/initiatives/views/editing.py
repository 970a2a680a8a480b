"""Contributors' pages: their entries, the guided form (saved on the server as they go),
review before submitting, and every lifecycle action (POST)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stocktake.core.permissions import is_moderator
from stocktake.organisations.models import Organisation
from stocktake.organisations.selectors import user_organisations

from .. import services
from ..content import field_label, read_revision, validate_content
from ..forms import FIELD_STEP, STEPS, ImageForm, NoteForm, StartForm
from ..models import Initiative
from ..selectors import initiative_get, user_initiatives
from .moderation import compare_rows


def _refused(request, message: str, status: int, initiative=None):
    return render(
        request,
        "initiatives/editing/refused.html",
        {"message": message, "initiative": initiative},
        status=status,
    )


def _get(pk: int) -> Initiative:
    try:
        return initiative_get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404(_("There is no entry with this number.")) from None


def _open_for_editing(request, pk: int):
    """The entry, the revision an editor works on, and its content; or why not and the
    status to answer with."""
    initiative = _get(pk)
    if not services.can_edit(user=request.user, initiative=initiative):
        return initiative, None, None, (str(services.EDIT_REFUSED), 403)
    try:
        base = services.editable_revision(initiative)
    except services.TransitionError as error:
        return initiative, None, None, (" ".join(error.messages), 409)
    return initiative, base, read_revision(base), None


def _editable(request, pk: int):
    """The entry, the revision an editor works on, and its content; or a refusal response."""
    initiative, base, document, refused = _open_for_editing(request, pk)
    if refused:
        message, status = refused
        return (
            initiative,
            None,
            None,
            _refused(request, message, status, initiative if status == 409 else None),
        )
    return initiative, base, document, None


def _language(request, document: dict) -> str:
    languages = dict(settings.LANGUAGES)
    requested = request.POST.get("lang") or request.GET.get("lang")
    if requested in languages:
        return requested
    return document.get("original_language") or request.LANGUAGE_CODE


@login_required
def my_initiatives_view(request):
    organisations = (
        Organisation.objects.all()
        if is_moderator(request.user)
        else user_organisations(user=request.user)
    )
    return render(
        request,
        "initiatives/editing/mine.html",
        {
            "initiatives": user_initiatives(user=request.user),
            "can_start": request.user.is_screened or is_moderator(request.user),
            "organisations": organisations,
            "memberships": request.user.memberships.select_related("organisation").order_by(
                "organisation__slug"
            ),
        },
    )


@login_required
def initiative_start_view(request):
    user = request.user
    if not (user.is_screened or is_moderator(user)):
        return _refused(
            request,
            _(
                "Your account is waiting for a moderator's screening. You can add entries "
                "once it is approved."
            ),
            403,
        )
    organisations = (
        Organisation.objects.all() if is_moderator(user) else user_organisations(user=user)
    )
    if not organisations.exists():
        return _refused(
            request,
            _(
                "You are not a member of any organisation yet. Ask your organisation's admin "
                "or the secretariat to add you."
            ),
            403,
        )
    initial = {"original_language": request.LANGUAGE_CODE}
    if organisations.count() == 1:
        initial["organisation"] = organisations.first()
    form = StartForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["original_language"]
        try:
            initiative = services.initiative_create(
                user=user,
                organisation=form.cleaned_data["organisation"],
                content={
                    "original_language": language,
                    "title": {language: form.cleaned_data["title"]},
                },
            )
        except PermissionDenied as error:
            return _refused(request, str(error), 403)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Draft created. It is saved on the server as you go."))
            return redirect(
                reverse("initiatives:edit-step", args=[initiative.pk, 1]) + f"?lang={language}"
            )
    status = 400 if request.method == "POST" else 200
    return render(request, "initiatives/editing/start.html", {"form": form}, status=status)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _save_step(request, initiative, base, document, step: int, language: str):
    """Shared by the step page and autosave: returns (form, outcome, extra)."""
    form = STEPS[step - 1](request.POST, document=document, language=language)
    revision_id, lock = _int(request.POST.get("revision_id")), _int(request.POST.get("lock"))
    if revision_id is None or lock is None:
        return form, "bad", None
    if not form.is_valid():
        return form, "invalid", None
    mine = form.apply()
    try:
        revision = services.initiative_update(
            user=request.user,
            initiative=initiative,
            content=mine,
            revision_id=revision_id,
            lock=lock,
        )
    except services.EditConflict as conflict:
        return form, "conflict", conflict
    except services.TransitionError as error:
        return form, "refused", " ".join(error.messages)
    except ValidationError as error:
        for message in form.add_document_errors(error.message_dict):
            form.add_error(None, message)
        return form, "invalid", None
    return form, "saved", revision


def _step_context(initiative, base, form, step, language, **extra):
    return {
        "initiative": initiative,
        "revision": base,
        "form": form,
        "step": step,
        "steps": [(number, form_class.title_text) for number, form_class in enumerate(STEPS, 1)],
        "language": language,
        "languages": settings.LANGUAGES,
        "revision_id": extra.pop("revision_id", base.pk),
        "lock": extra.pop("lock", base.lock),
        "is_last": step == len(STEPS),
        "image_form": ImageForm() if step == len(STEPS) else None,
        "images": list(base.images.all()) if step == len(STEPS) else [],
        "images_editable": base.state in services.EDITABLE_REVISION_STATES,
        **extra,
    }


@login_required
def initiative_edit_view(request, pk: int, step: int = 1):
    if not 1 <= step <= len(STEPS):
        raise Http404(_("There is no such step."))
    initiative, base, document, refusal = _editable(request, pk)
    if refusal:
        return refusal
    language = _language(request, document)
    template = "initiatives/editing/step.html"
    if request.method != "POST":
        form = STEPS[step - 1](document=document, language=language)
        return render(request, template, _step_context(initiative, base, form, step, language))

    form, outcome, extra = _save_step(request, initiative, base, document, step, language)
    if outcome == "bad":
        return HttpResponseBadRequest(
            _("The form is missing its version information; reload the page.")
        )
    if outcome == "refused":
        return _refused(request, extra, 409, initiative)
    if outcome == "conflict":
        # Nothing is lost: their saved version is shown beside this person's, whose input stays
        # in the form; saving again, now on top of the current version, keeps it.
        context = _step_context(
            initiative, base, form, step, language,
            revision_id=extra.revision_id, lock=extra.current_lock,
            conflict=extra, conflict_rows=_conflict_rows(extra),
        )  # fmt: skip
        return render(request, template, context, status=409)
    if outcome == "invalid":
        return render(
            request, template, _step_context(initiative, base, form, step, language), status=400
        )
    messages.success(request, _("Saved."))
    if "save_stay" in request.POST:
        target = reverse("initiatives:edit-step", args=[initiative.pk, step])
    elif step < len(STEPS):
        target = reverse("initiatives:edit-step", args=[initiative.pk, step + 1])
    else:
        target = reverse("initiatives:review", args=[initiative.pk])
    return redirect(f"{target}?lang={language}")


def _conflict_rows(conflict: services.EditConflict) -> list[dict]:
    """The fields the two versions disagree on, side by side with readable values (labels
    of codes, word-level differences of texts), as the moderators' comparison shows them."""
    rows = []
    for row in compare_rows(conflict.current, conflict.mine):
        if not row["changed"]:
            continue
        if row["kind"] == "text":
            row = {**row, "languages": [lang for lang in row["languages"] if lang["changed"]]}
        rows.append(row)
    return rows


def _error_lines(form) -> list[str]:
    """The form's errors as sentences naming their field, for the autosave status."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            # Translators: a form error after the name of its field, e.g. "End date: …".
            line = _("%(field)s: %(message)s") % {"field": label, "message": error}
            lines.append(line if label else str(error))
    return lines


@login_required
@require_POST
def initiative_autosave_view(request, pk: int, step: int):
    """htmx: save the step in the background; answer with the new version stamp, or with
    why it was not saved (the page's script lets htmx show the 4xx answers too)."""
    if not 1 <= step <= len(STEPS):
        raise Http404(_("There is no such step."))
    template = "initiatives/editing/_autosave.html"
    initiative, base, document, refused = _open_for_editing(request, pk)
    if refused:
        message, status = refused
        context = {"outcome": "refused", "message": message}
        return render(request, template, context, status=status)
    language = _language(request, document)
    form, outcome, extra = _save_step(request, initiative, base, document, step, language)
    context = {"outcome": outcome, "form": form, "now": timezone.now()}
    if outcome == "saved":
        context.update(revision_id=extra.pk, lock=extra.lock)
        return render(request, template, context)
    if outcome == "refused":
        context["message"] = extra
    elif outcome == "invalid":
        context["errors"] = _error_lines(form)
    status = {"conflict": 409, "refused": 409, "bad": 400, "invalid": 400}[outcome]
    return render(request, template, context, status=status)


@login_required
def initiative_review_view(request, pk: int):
    initiative, base, document, refusal = _editable(request, pk)
    if refusal:
        return refusal
    problems = []
    try:
        validate_content(document, for_submission=True)
    except ValidationError as error:
        for field, messages_ in error.message_dict.items():
            problems.append(
                {
                    "label": field_label(field),
                    "messages": messages_,
                    "step": FIELD_STEP.get(field, 5),
                }
            )
    pending_edit = base.state in services.EDITABLE_REVISION_STATES
    return render(
        request,
        "initiatives/editing/review.html",
        {
            "initiative": initiative,
            "revision": base,
            "document": document,
            "problems": problems,
            "can_submit": pending_edit and not problems,
            "pending_edit": pending_edit,
            "note_form": NoteForm(),
        },
    )


ACTIONS = {
    # action: (service, keyword for the acting person, takes a note)
    "submit": (services.initiative_submit, "user", True),
    "withdraw": (services.initiative_withdraw, "user", True),
    "confirm": (services.initiative_confirm_current, "user", False),
    "discard": (services.initiative_discard_revision, "user", False),
    "publish": (services.initiative_publish, "moderator", True),
    "request_changes": (services.initiative_request_changes, "moderator", True),
    "archive": (services.initiative_archive, "moderator", True),
    "restore": (services.initiative_restore, "moderator", True),
}
DONE_MESSAGES = {
    "submit": _("Submitted for review. You will hear from a moderator by e-mail."),
    "withdraw": _("The entry has been withdrawn."),
    "confirm": _("Thank you: the entry is confirmed as current."),
    "discard": _("The pending changes have been discarded."),
    "publish": _("Published."),
    "request_changes": _("Changes requested; the authors have been notified."),
    "archive": _("Archived."),
    "restore": _("Restored."),
    "good_practice": _("Marked as a good practice."),
    "not_good_practice": _("No longer marked as a good practice."),
}


@login_required
@require_POST
def initiative_action_view(request, pk: int, action: str):
    initiative = _get(pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, " ".join(form.errors.get("note", [])), 400, initiative)
    note = form.cleaned_data["note"]
    try:
        if action in ("good_practice", "not_good_practice"):
            services.initiative_set_good_practice(
                moderator=request.user, initiative=initiative, value=action == "good_practice"
            )
        elif action in ACTIONS:
            service, actor, takes_note = ACTIONS[action]
            kwargs = {actor: request.user, "initiative": initiative}
            if takes_note:
                kwargs["note"] = note
            service(**kwargs)
        else:
            raise Http404(_("There is no such action."))
    except PermissionDenied as error:
        return _refused(request, str(error), 403, initiative)
    except ValidationError as error:  # includes TransitionError
        return _refused(request, " ".join(error.messages), 409, initiative)
    messages.success(request, DONE_MESSAGES[action])
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("initiatives:detail", pk=initiative.pk)


@login_required
@require_POST
def image_add_view(request, pk: int):
    initiative = _get(pk)
    form = ImageForm(request.POST, request.FILES)
    language = _language(request, {})
    target = (
        reverse("initiatives:edit-step", args=[initiative.pk, len(STEPS)]) + f"?lang={language}"
    )
    if not form.is_valid():
        return _refused(
            request, " ".join(m for ms in form.errors.values() for m in ms), 400, initiative
        )
    try:
        services.revision_image_add(
            user=request.user,
            initiative=initiative,
            upload=form.cleaned_data["image"],
            alt_text={language: form.cleaned_data["alt_text"]},
        )
    except PermissionDenied as error:
        return _refused(request, str(error), 403, initiative)
    except services.TransitionError as error:
        return _refused(request, " ".join(error.messages), 409, initiative)
    except ValidationError as error:
        return _refused(request, " ".join(error.messages), 400, initiative)
    messages.success(request, _("Image added."))
    return redirect(target)


@login_required
@require_POST
def image_remove_view(request, pk: int, image_id: int):
    initiative = _get(pk)
    try:
        services.revision_image_remove(user=request.user, initiative=initiative, image_id=image_id)
    except PermissionDenied as error:
        return _refused(request, str(error), 403, initiative)
    except ValidationError as error:
        return _refused(request, " ".join(error.messages), 409, initiative)
    messages.success(request, _("Image removed."))
    return redirect("initiatives:edit-step", pk=initiative.pk, step=len(STEPS))
