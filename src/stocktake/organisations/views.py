"""Organisation pages for members: register an organisation, manage its members."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stocktake.core.permissions import is_moderator

from .forms import MemberForm, OrganisationForm
from .models import Organisation
from .selectors import is_organisation_admin, organisation_get, organisation_members
from .services import membership_remove, membership_set, organisation_create


def _refused(request, message: str, status: int = 403):
    return render(request, "organisations/refused.html", {"message": message}, status=status)


@login_required
def organisation_create_view(request):
    if not (request.user.is_screened or is_moderator(request.user)):
        return _refused(
            request,
            _("Your account is waiting for a moderator's screening. You can register your "
              "organisation once it is approved."),
        )  # fmt: skip
    form = OrganisationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
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


def _managed(request, slug: str) -> Organisation:
    try:
        organisation = organisation_get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404(_("There is no organisation with this address.")) from None
    allowed = is_moderator(request.user) or is_organisation_admin(
        user=request.user, organisation=organisation
    )
    if not allowed:
        raise PermissionDenied(_("Only the organisation's admins and moderators manage members."))
    return organisation


@login_required
def members_view(request, slug: str):
    organisation = _managed(request, slug)
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
    organisation = _managed(request, slug)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404(_("There is no such person."))
    try:
        membership_remove(actor=request.user, organisation=organisation, user=user)
    except ValidationError as error:
        return _refused(request, " ".join(error.messages), status=409)
    messages.success(request, _("Member removed."))
    return redirect("organisations:members", slug=slug)
