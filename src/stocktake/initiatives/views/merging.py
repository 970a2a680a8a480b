"""Merging a duplicate entry into another (moderators). The moderator names the entry to keep
by its number, sees both entries side by side, adds a note and confirms. The merge service
enforces who may and when; this view validates input, calls it and reports."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ..merging import initiative_merge, merge_refusal, merged_duplicates
from ..models import Initiative
from ..selectors import initiative_detail_get, terms_of
from .moderation import MAX_ID, moderator_required

NOTE_MAX_LENGTH = 5000
NO_SUCH_ENTRY = _("There is no entry with this number.")


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Number of the entry to keep"),
        help_text=_("The number in the address of the entry's page, e.g. 42 in /initiatives/42/."),
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "required": _("Give the number of the entry to keep."),
            "invalid": _("An entry's number is made of digits only."),
            "min_value": NO_SUCH_ENTRY,
            "max_value": NO_SUCH_ENTRY,
        },
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Why these entries are duplicates. It is kept in the history of both."),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _entry(pk: int) -> Initiative:
    try:
        return initiative_detail_get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404(gettext("There is no entry with this number.")) from None


def _side(initiative: Initiative) -> dict:
    """What the confirmation shows of one entry: what visitors see, else the working version."""
    revision = initiative.published_revision or initiative.working_revision
    return {
        "initiative": initiative,
        "title": revision.title_text if revision else "",
        "countries": [link.term for link in terms_of(revision, "countries")] if revision else [],
    }


def _render(request, duplicate: Initiative, form: MergeForm, *, into=None, error="", status=200):
    shown = _side(duplicate)
    return render(
        request,
        "initiatives/moderation/merge.html",
        {
            "duplicate": shown,
            "into": _side(into) if into is not None else None,
            "form": form,
            "error": error,
            "merged_here": merged_duplicates(initiative=duplicate),
            "title": shown["title"] or str(duplicate.pk),
            "crumbs": [
                {"label": gettext("Moderation queue"), "url": reverse("initiatives:queue")},
                {
                    "label": shown["title"] or str(duplicate.pk),
                    "url": reverse("initiatives:detail", args=[duplicate.pk]),
                },
                {"label": gettext("Merge"), "url": ""},
            ],
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def merge_view(request, pk: int):
    """GET without `into`: choose the entry to keep. GET with `into`: both entries side by
    side, and the confirmation form. POST: merge."""
    duplicate = _entry(pk)
    posted = request.method == "POST"
    if not posted and "into" not in request.GET:
        return _render(request, duplicate, MergeForm())
    form = MergeForm(request.POST if posted else request.GET)
    valid, into = form.is_valid(), None
    if "into" in form.cleaned_data:
        try:
            into = initiative_detail_get(pk=form.cleaned_data["into"])
        except Initiative.DoesNotExist:
            form.add_error("into", str(NO_SUCH_ENTRY))
            valid = False
    if not valid:
        return _render(request, duplicate, form, into=into, status=400)
    if not posted:
        refusal = merge_refusal(duplicate=duplicate, into=into)
        return _render(
            request, duplicate, form, into=into, error=refusal or "", status=409 if refusal else 200
        )
    try:
        initiative_merge(
            moderator=request.user,
            duplicate=duplicate,
            into=into,
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as error:
        return _render(request, duplicate, form, into=into, error=str(error), status=403)
    except ValidationError as error:  # includes TransitionError
        return _render(
            request, duplicate, form, into=into, error=" ".join(error.messages), status=409
        )
    messages.success(
        request,
        gettext("Entry %(number)s was merged into this entry: its address now leads here.")
        % {"number": duplicate.pk},
    )
    return redirect("initiatives:detail", pk=into.pk)
