"""The moderation queue through the API: the same selector and filters as the queue page.
Decisions are the lifecycle actions of drafts.py (publish/, request-changes/, …)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from stocktake.api.base import ApiView, page_of, paginate, problem
from stocktake.core.permissions import is_moderator

from ..forms import KIND_CHOICES, QueueFilterForm
from ..models import Initiative
from ..selectors import moderation_queue_page
from .drafts import WRITE_PERMISSIONS
from .entries import term_data

QUEUE_ROW = inline_serializer(
    name="QueueEntry",
    fields={
        "id": serializers.IntegerField(),
        "title": serializers.DictField(child=serializers.CharField()),
        "original_language": serializers.CharField(),
        "is_new": serializers.BooleanField(help_text="False for an edit of a published entry."),
        "version": serializers.IntegerField(),
        "organisation": inline_serializer(
            name="QueueOrganisation",
            fields={
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "country": inline_serializer(
                    name="QueueCountry",
                    fields={
                        "code": serializers.CharField(),
                        "label": serializers.CharField(),
                        "labels": serializers.DictField(child=serializers.CharField()),
                    },
                    allow_null=True,
                ),
            },
        ),
        "submitted_by": serializers.CharField(allow_blank=True),
        "submitted_at": serializers.DateTimeField(allow_null=True),
        "draft_url": serializers.URLField(),
    },
    many=True,
)


def _row(request, initiative: Initiative) -> dict:
    revision = initiative.working_revision
    person = revision.submitted_by
    return {
        "id": initiative.pk,
        "title": dict(revision.title or {}),
        "original_language": revision.original_language,
        "is_new": initiative.published_revision_id is None,
        "version": revision.number,
        "organisation": {
            "id": initiative.organisation.pk,
            "name": initiative.organisation.name,
            "country": term_data(initiative.organisation.country),
        },
        "submitted_by": (person.get_full_name() or person.get_username()) if person else "",
        "submitted_at": revision.submitted_at,
        "draft_url": request.build_absolute_uri(
            reverse("api-initiative-draft", args=[initiative.pk])
        ),
    }


class ModerationQueueApi(ApiView):
    permission_classes = WRITE_PERMISSIONS

    @extend_schema(
        operation_id="moderation_queue",
        summary="Submissions waiting for review (moderators)",
        description="Longest waiting first (ties by id). Filter as on the queue page.",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=[k for k, _l in KIND_CHOICES if k]),
            OpenApiParameter(
                "country", OpenApiTypes.STR, description="Country code of the organisation."
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 100."),
        ],
        responses={
            200: page_of("QueuePage", QUEUE_ROW),
            400: problem(_("An unknown kind or country.")),
        },
        tags=["moderation"],
    )
    def get(self, request):
        if not is_moderator(request.user):
            raise exceptions.PermissionDenied(_("Only moderators can see the moderation queue."))
        form = QueueFilterForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {
                    field: [str(message) for message in messages]
                    for field, messages in form.errors.items()
                }
            )
        filters = {name: value for name, value in form.cleaned_data.items() if value}
        queryset = moderation_queue_page(**filters).select_related("working_revision__submitted_by")
        return Response(
            paginate(request, queryset, serialize=lambda rows: [_row(request, r) for r in rows])
        )
