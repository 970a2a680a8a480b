"""Organisation pages for members: register an organisation, edit its profile, manage its
members. The services decide who may; these pages only ask them."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import MemberForm, OrganisationForm, OrganisationProfileForm
from .models import Organisation
from .selectors import (
    can_manage_organisation,
    can_register_organisation,
    organisation_get,
    organisation_members,
)
from .services import (
    OrganisationConflict,
    membership_remove,
    membership_set,
    organisation_create,
    organisation_update,
)


def _refused(request, message: str, status: int = 403):
    return render(request, "organisations/refused.html", {"message": message}, status=status)


@login_required
def organisation_create_view(request):
    form = OrganisationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if not can_register_organisation(user=request.user):
        # The service refuses too; say so before the person fills in the form.
        return _refused(
            request,
            _("Your account is waiting for a moderator's screening. You can register your "
              "organisation once it is approved."),
        )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = organisation_create(
                names={data["language"]: data["name"]},
                stakeholder_type=data["stakeholder_type"],
                country=data["country"],
                website=data["website"],
                acronym=data["acronym"],
                created_by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your organisation is registered; you are its admin."))
            return redirect("organisations:members", slug=organisation.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "organisations/create.html", {"form": form}, status=status)


def _managed(request, slug: str, refusal: str) -> Organisation:
    try:
        organisation = organisation_get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404(_("There is no organisation with this address.")) from None
    if not can_manage_organisation(user=request.user, organisation=organisation):
        raise PermissionDenied(refusal)
    return organisation


def _language_rows(texts: dict) -> list[dict]:
    """Per-language texts with each language's name in the reader's language."""
    rows = []
    for code, text in (texts or {}).items():
        try:
            language = get_language_info(code)["name_translated"]
        except KeyError:
            language = code
        rows.append({"code": code, "language": language, "text": text})
    return rows


def _members_refused() -> str:
    return _("Only the organisation's admins and moderators manage members.")


@login_required
def organisation_edit_view(request, slug: str):
    organisation = _managed(
        request, slug, _("Only the organisation's admins and moderators edit its profile.")
    )
    form = OrganisationProfileForm(request.POST or None, organisation=organisation)
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                organisation_update(
                    actor=request.user, organisation=organisation, **form.service_arguments()
                )
            except OrganisationConflict as error:
                # Keep what this person typed; show what was saved; a second save (with the
                # new stamp) is then a knowing choice.
                status, conflict = 409, error.current
                data = request.POST.copy()
                data["updated_at"] = conflict.updated_at.isoformat()
                form = OrganisationProfileForm(data, organisation=conflict)
                form.is_valid()
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(form.service_field(field), errors)
            else:
                messages.success(request, _("The organisation's profile is saved."))
                return redirect("initiatives:organisation-detail", slug=organisation.slug)
    return render(
        request,
        "organisations/edit.html",
        {
            "organisation": organisation,
            "form": form,
            "conflict": conflict,
            "conflict_names": _language_rows(conflict.names) if conflict else [],
            "conflict_descriptions": _language_rows(conflict.descriptions) if conflict else [],
        },
        status=status,
    )


@login_required
def members_view(request, slug: str):
    organisation = _managed(request, slug, _members_refused())
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_set(
                actor=request.user,
                organisation=organisation,
                user=form.user,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Member saved."))
            return redirect("organisations:members", slug=slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "memberships": organisation_members(organisation=organisation),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def member_remove_view(request, slug: str, user_id: int):
    organisation = _managed(request, slug, _members_refused())
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404(_("There is no such person."))
    try:
        membership_remove(actor=request.user, organisation=organisation, user=user)
    except ValidationError as error:
        return _refused(request, " ".join(error.messages), status=409)
    messages.success(request, _("Member removed."))
    return redirect("organisations:members", slug=slug)
