"""One published entry, whole: every language of every text, its organisation, its
classification with labels. Visitors only ever reach published entries here; drafts are in
drafts.py, for their owners and moderators."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from stocktake.api.base import ApiView, digest_etag, if_none_match, problem
from stocktake.organisations.models import Organisation

from ..content import SCALAR_TERM_FIELDS
from ..models import TERM_FIELDS, TEXT_FIELDS, Initiative, Revision
from ..selectors import initiative_public_get, terms_by_codes, terms_of

# Ids beyond a 64-bit integer cannot exist; asking for one is a 404, not a database error.
MAX_ID = 2**63 - 1
NOT_FOUND = _("There is no published entry with this number.")

LanguageMap = serializers.DictField(
    child=serializers.CharField(), help_text='Text per language code: {"en": …, "ar": …}.'
)


# --- documented shapes -----------------------------------------------------------------------


class TermRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="In the language asked for (Accept-Language).")
    labels = serializers.DictField(child=serializers.CharField(), help_text="Every language.")


class ClassificationTermSerializer(TermRefSerializer):
    primary = serializers.BooleanField(help_text="The primary WSIS Action Line.")
    evidence = serializers.CharField(
        allow_blank=True, help_text="Why (SDG goals and targets; empty when none is given)."
    )


class OrganisationSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField(help_text="In the language asked for, else the nearest.")
    names = LanguageMap
    acronym = serializers.CharField(allow_blank=True)
    stakeholder_type = TermRefSerializer()
    country = TermRefSerializer(allow_null=True)
    website = serializers.CharField(allow_blank=True)
    url = serializers.URLField(help_text="This organisation in the API.")
    page_url = serializers.URLField(help_text="Its page on the site.")


class PartnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    stakeholder_type = TermRefSerializer(allow_null=True)
    country = TermRefSerializer(allow_null=True)


class LinkSerializer(serializers.Serializer):
    label = serializers.CharField(allow_blank=True)
    url = serializers.URLField()


class ImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    alt_text = LanguageMap
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class FundingSerializer(serializers.Serializer):
    source = serializers.CharField(allow_blank=True)
    amount = serializers.CharField(allow_null=True, help_text="A decimal number, as text.")
    currency = serializers.CharField(allow_blank=True, help_text="ISO 4217 code.")


class InitiativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The number of the published revision.")
    url = serializers.URLField(help_text="The entry's page on the site.")
    original_language = serializers.CharField()
    title = LanguageMap
    summary = LanguageMap
    description = LanguageMap
    objectives = LanguageMap
    results = LanguageMap
    challenges = LanguageMap
    future_plans = LanguageMap
    organisation = OrganisationSummarySerializer()
    initiative_type = TermRefSerializer(allow_null=True)
    implementation_status = TermRefSerializer(allow_null=True)
    coverage = TermRefSerializer(allow_null=True)
    classification = serializers.DictField(
        child=ClassificationTermSerializer(many=True),
        help_text="Per field of the content document (action_lines, sdg_goals, sdg_targets, "
        "gdc_objectives, wsis_targets, technologies, beneficiary_groups, countries).",
    )
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    partners = PartnerSerializer(many=True)
    website = serializers.CharField(allow_blank=True)
    links = LinkSerializer(many=True)
    keywords = serializers.ListField(child=serializers.CharField())
    funding = FundingSerializer()
    images = ImageSerializer(many=True)
    is_good_practice = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    last_published_at = serializers.DateTimeField()
    last_confirmed_at = serializers.DateTimeField(allow_null=True)


# --- representations -------------------------------------------------------------------------


def term_data(term) -> dict | None:
    if term is None:
        return None
    return {"code": term.code, "label": term.label, "labels": dict(term.labels or {})}


def organisation_data(request, organisation: Organisation) -> dict:
    return {
        "id": organisation.pk,
        "slug": organisation.slug,
        "name": organisation.name,
        "names": dict(organisation.names or {}),
        "acronym": organisation.acronym,
        "stakeholder_type": term_data(organisation.stakeholder_type),
        "country": term_data(organisation.country),
        "website": organisation.website,
        "url": request.build_absolute_uri(
            reverse("api-organisation-detail", args=[organisation.pk])
        ),
        "page_url": request.build_absolute_uri(
            reverse("initiatives:organisation-detail", args=[organisation.slug])
        ),
    }


def _http_url(url) -> str:
    url = str(url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def _partners(revision: Revision) -> list[dict]:
    partners = [p for p in revision.partners or [] if isinstance(p, dict) and p.get("name")]
    terms = terms_by_codes(
        codes={
            "stakeholder-types": [
                p["stakeholder_type"] for p in partners if p.get("stakeholder_type")
            ],
            "countries": [p["country"] for p in partners if p.get("country")],
        }
    )
    return [
        {
            "name": str(partner["name"]),
            "stakeholder_type": term_data(
                terms.get(("stakeholder-types", partner.get("stakeholder_type")))
            ),
            "country": term_data(terms.get(("countries", partner.get("country")))),
        }
        for partner in partners
    ]


def initiative_data(request, initiative: Initiative) -> dict:
    """The published entry: never its contact fields, which are for moderators only."""
    revision = initiative.published_revision
    classification = {}
    for field, scheme in TERM_FIELDS.items():
        classification[field] = [
            {**term_data(link.term), "primary": link.is_primary, "evidence": link.evidence}
            for link in sorted(terms_of(revision, scheme), key=lambda link: not link.is_primary)
        ]
    links = [
        {"label": str(link.get("label") or ""), "url": _http_url(link.get("url"))}
        for link in revision.links or []
        if isinstance(link, dict) and _http_url(link.get("url"))
    ]
    amount = revision.funding_amount
    return {
        "id": initiative.pk,
        "version": revision.number,
        "url": request.build_absolute_uri(reverse("initiatives:detail", args=[initiative.pk])),
        "original_language": revision.original_language,
        **{field: dict(getattr(revision, field) or {}) for field in TEXT_FIELDS},
        "organisation": organisation_data(request, initiative.organisation),
        **{field: term_data(getattr(revision, field)) for field in SCALAR_TERM_FIELDS},
        "classification": classification,
        "start_date": revision.start_date.isoformat() if revision.start_date else None,
        "end_date": revision.end_date.isoformat() if revision.end_date else None,
        "partners": _partners(revision),
        "website": _http_url(revision.website),
        "links": links,
        "keywords": [str(keyword) for keyword in revision.keywords or []],
        "funding": {
            "source": revision.funding_source,
            "amount": str(amount) if amount is not None else None,
            "currency": revision.funding_currency,
        },
        "images": [
            {
                "url": request.build_absolute_uri(image.image.url),
                "alt_text": dict(image.alt_text or {}),
                "width": image.width,
                "height": image.height,
            }
            for image in revision.images.all()
        ],
        "is_good_practice": initiative.is_good_practice,
        "published_at": initiative.published_at,
        "last_published_at": initiative.last_published_at,
        "last_confirmed_at": initiative.last_confirmed_at,
    }


def public_initiative(pk: int) -> Initiative:
    """A published entry, or a 404 problem (also for drafts, withdrawn and archived entries:
    they do not exist for visitors)."""
    if not 0 < pk <= MAX_ID:
        raise Http404(NOT_FOUND)
    try:
        return initiative_public_get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404(NOT_FOUND) from None


ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200],
    description="The version of this representation, for If-None-Match.",
)


class InitiativeDetailApi(ApiView):
    @extend_schema(
        operation_id="initiatives_retrieve",
        summary="One published entry",
        description="Every language of every text, the lead organisation, the classification "
        "with labels in the asked language and in all languages. Conditional: send the ETag "
        "back in If-None-Match to get a 304 when nothing changed.",
        parameters=[
            OpenApiParameter("If-None-Match", OpenApiTypes.STR, location=OpenApiParameter.HEADER),
            ETAG_HEADER,
        ],
        responses={
            200: InitiativeSerializer,
            304: OpenApiResponse(description="Not modified since the ETag sent."),
            404: problem(_("No published entry has this number.")),
        },
        tags=["initiatives"],
    )
    def get(self, request, pk: int):
        initiative = public_initiative(pk)
        data = initiative_data(request, initiative)
        etag = digest_etag(f"p{initiative.published_revision_id}", data)
        if if_none_match(request, etag):
            return Response(status=304, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})
