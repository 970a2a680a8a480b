"""Writing entries through the API: create a draft, read and update the working revision
(optimistic locking with ETag / If-Match), and every lifecycle action. The same service
functions as the web pages, so the same rules and permissions (initiatives/services.py)."""

import re

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from stocktake.api.base import ApiView, problem
from stocktake.api.permissions import TokenScope
from stocktake.api.problems import (
    ConflictProblemSerializer,
    PreconditionFailed,
    PreconditionRequired,
    service_errors,
)
from stocktake.core.permissions import require
from stocktake.organisations.selectors import organisation_public_get

from .. import services
from ..content import goal_evidence_kept, read_revision, validate_content
from ..models import Initiative, Revision
from ..selectors import can_view, initiative_get, revision_get
from .entries import MAX_ID, OrganisationSummarySerializer, organisation_data
from .search import InitiativeSearchApi

WRITE_PERMISSIONS = [IsAuthenticated, TokenScope]
NOT_FOUND = _("There is no entry with this number, or you may not see it.")
MAX_NOTE = 5000

# --- the content document --------------------------------------------------------------------


def _text_map():
    return serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        help_text='Text per language code: {"en": …}. Titles up to 300 characters, summaries '
        "3,000, other texts 20,000.",
    )


def _codes(help_text: str, max_length: int = 400):
    return serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=max_length,
        help_text=help_text,
    )


class ActionLinesSerializer(serializers.Serializer):
    primary = serializers.CharField(allow_blank=True, required=False, max_length=100)
    secondary = _codes("Other WSIS Action Line codes.")


class TargetSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=100)
    evidence = serializers.CharField(allow_blank=True, required=False, max_length=5000)


class PartnerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    stakeholder_type = serializers.CharField(allow_blank=True, required=False, max_length=100)
    country = serializers.CharField(allow_blank=True, required=False, max_length=100)


class LinkInputSerializer(serializers.Serializer):
    label = serializers.CharField(allow_blank=True, required=False, max_length=200)
    url = serializers.CharField(max_length=2000)


class ContentSerializer(serializers.Serializer):
    """The content document of an entry (initiatives/content.py): the same shape for reading
    a draft and for writing one. Codes are those of the vocabularies (/api/v1/vocabularies/)."""

    original_language = serializers.CharField(
        max_length=8, help_text="The language the entry is written in: ar, en or fr."
    )
    title = _text_map()
    summary = _text_map()
    description = _text_map()
    objectives = _text_map()
    results = _text_map()
    challenges = _text_map()
    future_plans = _text_map()
    initiative_type = serializers.CharField(allow_blank=True, required=False, max_length=100)
    implementation_status = serializers.CharField(allow_blank=True, required=False, max_length=100)
    coverage = serializers.CharField(allow_blank=True, required=False, max_length=100)
    start_date = serializers.DateField(allow_null=True, required=False)
    end_date = serializers.DateField(allow_null=True, required=False)
    action_lines = ActionLinesSerializer(required=False)
    sdg_goals = _codes("Sustainable Development Goals: 1 to 17.")
    sdg_goal_evidence = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=5000),
        required=False,
        help_text='Optional evidence per goal: {"16": "text"}, only for goals the entry has '
        "(in sdg_goals, or the goal of one of its sdg_targets). Empty texts are dropped: a "
        "draft read back lists only the goals with evidence.",
    )
    sdg_targets = TargetSerializer(many=True, required=False, max_length=400)
    gdc_objectives = _codes("Global Digital Compact objectives.")
    wsis_targets = _codes("WSIS targets.")
    technologies = _codes("Emerging technologies.")
    beneficiary_groups = _codes("Beneficiary groups.")
    countries = _codes("ISO 3166-1 alpha-2 codes of the countries of implementation.")
    partners = PartnerInputSerializer(many=True, required=False, max_length=200)
    funding_source = serializers.CharField(allow_blank=True, required=False, max_length=300)
    funding_amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, allow_null=True, required=False
    )
    funding_currency = serializers.CharField(allow_blank=True, required=False, max_length=3)
    website = serializers.CharField(allow_blank=True, required=False, max_length=500)
    links = LinkInputSerializer(many=True, required=False, max_length=100)
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=30
    )
    contact_name = serializers.CharField(allow_blank=True, required=False, max_length=200)
    contact_email = serializers.CharField(allow_blank=True, required=False, max_length=254)


def _document(data) -> dict:
    """Validated serializer data as the plain document the services take."""
    if isinstance(data, dict):
        return {key: _document(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_document(value) for value in data]
    return data


def content_in(request, *, partial: bool = False, data=None) -> dict:
    serializer = ContentSerializer(data=request.data if data is None else data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return _document(serializer.validated_data)


# --- versions --------------------------------------------------------------------------------

IF_MATCH = re.compile(r'\s*"r(\d{1,19})\.(\d{1,10})"\s*')


def revision_etag(revision: Revision) -> str:
    """The version an update must name: the revision and its lock (strong: it changes with
    every save)."""
    return f'"r{revision.pk}.{revision.lock}"'


def _if_match(request) -> tuple[int, int] | None:
    """(revision id, lock) from If-Match; None for a value that names no version of ours
    (which then fails as stale). Without the header, a 428 problem."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired(
            _(
                "Send the ETag of the version you are changing in an If-Match header "
                "(GET the draft to read it): updates never overwrite unseen changes."
            )
        )
    found = IF_MATCH.fullmatch(header)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _stale(current: Revision, document: dict | None = None) -> PreconditionFailed:
    etag = revision_etag(current)
    return PreconditionFailed(
        _(
            "Someone saved this entry since you read it (or the If-Match header names another "
            "version). Nothing was changed: merge your changes into the current version "
            "below and send them again with its ETag."
        ),
        extra={"current_etag": etag, "current": document or read_revision(current)},
        headers={"ETag": etag},
    )


# --- representations -------------------------------------------------------------------------


def _entry(request, pk: int) -> Initiative:
    """Any entry the caller may see (members and moderators: drafts too), else a 404 problem
    alike for entries that do not exist and entries that are not theirs to see."""
    if not 0 < pk <= MAX_ID:
        raise Http404(NOT_FOUND)
    try:
        initiative = initiative_get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    if not can_view(user=request.user, initiative=initiative):
        raise Http404(NOT_FOUND)
    return initiative


def _submission_problems(document: dict) -> dict:
    try:
        validate_content(document, for_submission=True)
    except ValidationError as error:
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {}


def draft_data(request, initiative: Initiative, revision: Revision) -> dict:
    revision = revision_get(pk=revision.pk)
    document = read_revision(revision)
    return {
        "id": initiative.pk,
        "status": initiative.status,
        "organisation": organisation_data(request, initiative.organisation),
        "revision": {
            "id": revision.pk,
            "number": revision.number,
            "state": revision.state,
            "lock": revision.lock,
        },
        "etag": revision_etag(revision),
        "content": document,
        "submission_problems": _submission_problems(document),
        "url": request.build_absolute_uri(reverse("initiatives:detail", args=[initiative.pk])),
    }


def _draft_response(request, initiative, revision, *, status_code=200, location=False):
    data = draft_data(request, initiative, revision)
    headers = {"ETag": data["etag"]}
    if location:
        headers["Location"] = request.build_absolute_uri(
            reverse("api-initiative-draft", args=[initiative.pk])
        )
    return Response(data, status=status_code, headers=headers)


def state_data(request, initiative: Initiative) -> dict:
    working = initiative.working_revision
    published = initiative.published_revision
    return {
        "id": initiative.pk,
        "status": initiative.status,
        "published_version": published.number if published else None,
        "working_revision": {
            "id": working.pk,
            "number": working.number,
            "state": working.state,
            "lock": working.lock,
            "etag": revision_etag(working),
        }
        if working
        else None,
        "url": request.build_absolute_uri(reverse("initiatives:detail", args=[initiative.pk])),
        "draft_url": request.build_absolute_uri(
            reverse("api-initiative-draft", args=[initiative.pk])
        ),
    }


REVISION = inline_serializer(
    name="RevisionVersion",
    fields={
        "id": serializers.IntegerField(),
        "number": serializers.IntegerField(),
        "state": serializers.CharField(),
        "lock": serializers.IntegerField(),
    },
)
DRAFT = inline_serializer(
    name="Draft",
    fields={
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "organisation": OrganisationSummarySerializer(),
        "revision": REVISION,
        "etag": serializers.CharField(help_text="Send it back in If-Match to update."),
        "content": ContentSerializer(),
        "submission_problems": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="What stops the draft from being submitted, per field (empty when "
            "it can be submitted).",
        ),
        "url": serializers.URLField(),
    },
)
STATE = inline_serializer(
    name="InitiativeState",
    fields={
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "published_version": serializers.IntegerField(allow_null=True),
        "working_revision": inline_serializer(
            name="WorkingRevision",
            fields={
                "id": serializers.IntegerField(),
                "number": serializers.IntegerField(),
                "state": serializers.CharField(),
                "lock": serializers.IntegerField(),
                "etag": serializers.CharField(),
            },
            allow_null=True,
        ),
        "url": serializers.URLField(),
        "draft_url": serializers.URLField(),
    },
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200, 201],
    description="The version of the draft, for If-Match.",
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the version being changed, e.g. "r12.3".',
)
NOT_FOUND_RESPONSE = problem(_("No such entry, or not one you may see."))
CONFLICT_RESPONSE = problem(
    _("The entry's state does not allow this (e.g. it is waiting for review, or archived).")
)


# --- create ----------------------------------------------------------------------------------


class CreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id of the lead organisation."
    )
    content = ContentSerializer()


class InitiativeCollectionApi(InitiativeSearchApi):
    """GET searches the published entries (search.py); POST starts a draft."""

    @classmethod
    def get_permissions_for(cls, method: str) -> list:
        return WRITE_PERMISSIONS if method == "POST" else list(cls.permission_classes)

    def get_permissions(self):
        return [permission() for permission in self.get_permissions_for(self.request.method)]

    @extend_schema(
        operation_id="initiatives_create",
        summary="Start a draft entry",
        description="A draft for an organisation you are a member of (moderators: any). A "
        "draft needs only its original language and a title in it; the rest can follow.",
        request=CreateSerializer,
        parameters=[ETAG],
        responses={
            201: DRAFT,
            403: problem(_("Not a screened member of this organisation.")),
        },
        tags=["drafts"],
    )
    def post(self, request):
        serializer = CreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_public_get(pk=serializer.validated_data["organisation"])
        if organisation is None:
            raise serializers.ValidationError(
                {"organisation": [_("There is no organisation with this id.")]}
            )
        with service_errors():
            initiative = services.initiative_create(
                user=request.user,
                organisation=organisation,
                content=_document(serializer.validated_data["content"]),
            )
        return _draft_response(
            request,
            initiative,
            initiative.working_revision,
            status_code=status.HTTP_201_CREATED,
            location=True,
        )


# --- the working revision --------------------------------------------------------------------


# What an update of the working revision answers (PUT and PATCH alike).
UPDATE_RESPONSES = {
    200: DRAFT,
    404: NOT_FOUND_RESPONSE,
    409: CONFLICT_RESPONSE,
    412: ConflictProblemSerializer,
    428: problem(_("No If-Match header.")),
}


class DraftApi(ApiView):
    permission_classes = WRITE_PERMISSIONS

    def _editable(self, request, pk: int) -> tuple[Initiative, Revision]:
        initiative = _entry(request, pk)
        with service_errors():
            require(
                services.can_edit(user=request.user, initiative=initiative),
                str(services.EDIT_REFUSED),
            )
            return initiative, services.editable_revision(initiative)

    @extend_schema(
        operation_id="initiatives_draft_retrieve",
        summary="The working revision of an entry",
        description="What an editor works on: the draft, the requested changes, or (for a "
        "published entry with no pending edit) the published version, which the first "
        "update copies into a pending revision. With the contact fields. For members of the "
        "organisation and moderators.",
        parameters=[ETAG],
        responses={200: DRAFT, 404: NOT_FOUND_RESPONSE, 409: CONFLICT_RESPONSE},
        tags=["drafts"],
    )
    def get(self, request, pk: int):
        initiative, revision = self._editable(request, pk)
        return _draft_response(request, initiative, revision)

    def _save(self, request, pk: int, *, partial: bool):
        initiative, base = self._editable(request, pk)
        version = _if_match(request)
        if version is None or version != (base.pk, base.lock):
            raise _stale(revision_get(pk=base.pk))
        content = content_in(request, partial=partial)
        if partial:
            current = read_revision(revision_get(pk=base.pk))
            if "sdg_goal_evidence" not in content:
                # Goals changed, their evidence not restated: it stays with the goals that stay.
                content["sdg_goal_evidence"] = goal_evidence_kept(
                    {**current, **content}, current["sdg_goal_evidence"]
                )
            content = {**current, **content}
        with service_errors():
            try:
                revision = services.initiative_update(
                    user=request.user,
                    initiative=initiative,
                    content=content,
                    revision_id=version[0],
                    lock=version[1],
                )
            except services.EditConflict as conflict:
                raise _stale(revision_get(pk=conflict.revision_id), conflict.current) from None
        initiative.refresh_from_db(fields=["status", "working_revision"])
        return _draft_response(request, initiative, revision)

    @extend_schema(
        operation_id="initiatives_draft_update",
        summary="Replace the working revision's content",
        description="The whole content document; fields left out are emptied. Send the "
        "draft's ETag in If-Match: without it 428, with a version that is no longer current "
        "412 with the current version (nothing is overwritten). Updating a published entry "
        "starts a pending revision that a moderator reviews.",
        request=ContentSerializer,
        parameters=[IF_MATCH_HEADER, ETAG],
        responses=UPDATE_RESPONSES,
        tags=["drafts"],
    )
    def put(self, request, pk: int):
        return self._save(request, pk, partial=False)

    @extend_schema(
        operation_id="initiatives_draft_partial_update",
        summary="Change some fields of the working revision",
        description="Only the fields sent change (each replaced whole); the rest stay as in "
        "the version named by If-Match (sdg_goal_evidence, when not sent, keeps the evidence "
        "of the goals the entry still has). Same versioning as PUT.",
        request=ContentSerializer(partial=True),
        parameters=[IF_MATCH_HEADER, ETAG],
        responses=UPDATE_RESPONSES,
        tags=["drafts"],
    )
    def patch(self, request, pk: int):
        return self._save(request, pk, partial=True)


# --- the lifecycle ---------------------------------------------------------------------------


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        allow_blank=True,
        required=False,
        max_length=MAX_NOTE,
        help_text="For the record, and for the authors when a moderator writes it.",
    )


# action: (service, the keyword naming who acts, summary, description)
ACTIONS = {
    "submit": (
        services.initiative_submit,
        "user",
        _("Submit the draft for review"),
        _("The draft or requested changes go to the moderators. It must be complete."),
    ),
    "withdraw": (
        services.initiative_withdraw,
        "user",
        _("Withdraw the entry"),
        _("By its author, an admin of its organisation, or a moderator."),
    ),
    "publish": (
        services.initiative_publish,
        "moderator",
        _("Publish the submitted version (moderators)"),
        _("Not a version you submitted yourself: another moderator must publish it."),
    ),
    "request-changes": (
        services.initiative_request_changes,
        "moderator",
        _("Send the submission back to its authors (moderators)"),
        _("The note, which is required, tells the authors what should change."),
    ),
    "archive": (
        services.initiative_archive,
        "moderator",
        _("Archive a published entry (moderators)"),
        _("It leaves the public lists; it can be restored."),
    ),
    "restore": (
        services.initiative_restore,
        "moderator",
        _("Restore an archived or withdrawn entry (moderators)"),
        _("Published again if it ever was, else back to a draft."),
    ),
}


class InitiativeActionApi(ApiView):
    permission_classes = WRITE_PERMISSIONS
    action_name = ""

    def post(self, request, pk: int):
        initiative = _entry(request, pk)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service, actor, _summary, _description = ACTIONS[self.action_name]
        with service_errors():
            initiative = service(
                **{actor: request.user},
                initiative=initiative,
                note=serializer.validated_data.get("note", ""),
            )
        return Response(state_data(request, initiative))


def _action_view(action: str) -> type[InitiativeActionApi]:
    _service, _actor, summary, description = ACTIONS[action]
    view = type(
        f"Initiative{action.title().replace('-', '')}Api",
        (InitiativeActionApi,),
        {"action_name": action},
    )

    def post(self, request, pk: int):
        return InitiativeActionApi.post(self, request, pk)

    view.post = extend_schema(
        operation_id=f"initiatives_{action.replace('-', '_')}",
        summary=summary,
        description=description,
        request=NoteSerializer,
        responses={200: STATE, 404: NOT_FOUND_RESPONSE, 409: CONFLICT_RESPONSE},
        tags=["lifecycle"],
    )(post)
    return view


ACTION_VIEWS = {action: _action_view(action) for action in ACTIONS}
