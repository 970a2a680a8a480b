"""Read-only API over the vocabularies; the pages use the same selectors."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from stocktake.api.base import ApiView
from stocktake.api.problems import ProblemSerializer

from .models import Crosswalk, Scheme
from .selectors import (
    crosswalk_get,
    crosswalk_link_pairs,
    crosswalk_list,
    scheme_get,
    scheme_list,
    term_list,
)

LanguageMap = serializers.DictField(
    child=serializers.CharField(), help_text='Text per language code, e.g. {"en": …, "ar": …}'
)


class SchemeSummarySerializer(serializers.Serializer):
    scheme = serializers.CharField(source="identifier")
    version = serializers.CharField()
    labels = serializers.DictField(child=serializers.CharField())
    descriptions = serializers.DictField(child=serializers.CharField())
    source = serializers.CharField()
    parent_scheme = serializers.CharField(
        source="parent_scheme.identifier", allow_null=True, default=None
    )
    term_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, scheme: Scheme) -> str:
        return reverse(
            "api-vocabulary-detail", args=[scheme.identifier], request=self.context["request"]
        )


class TermSerializer(serializers.Serializer):
    code = serializers.CharField()
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    labels = serializers.DictField(child=serializers.CharField())
    descriptions = serializers.DictField(child=serializers.CharField())
    extra = serializers.DictField()
    deprecated = serializers.BooleanField()


class SchemeDetailSerializer(serializers.Serializer):
    scheme = serializers.CharField(source="identifier")
    version = serializers.CharField()
    labels = serializers.DictField(child=serializers.CharField())
    descriptions = serializers.DictField(child=serializers.CharField())
    source = serializers.CharField()
    parent_scheme = serializers.CharField(
        source="parent_scheme.identifier", allow_null=True, default=None
    )
    terms = TermSerializer(many=True)


class CrosswalkSummarySerializer(serializers.Serializer):
    crosswalk = serializers.CharField(source="identifier")
    version = serializers.CharField()
    labels = serializers.DictField(child=serializers.CharField())
    source = serializers.CharField()
    from_scheme = serializers.CharField(source="from_scheme.identifier")
    to_scheme = serializers.CharField(source="to_scheme.identifier")
    link_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, crosswalk: Crosswalk) -> str:
        return reverse(
            "api-crosswalk-detail", args=[crosswalk.identifier], request=self.context["request"]
        )


class CrosswalkDetailSerializer(serializers.Serializer):
    crosswalk = serializers.CharField(source="identifier")
    version = serializers.CharField()
    labels = serializers.DictField(child=serializers.CharField())
    source = serializers.CharField()
    from_scheme = serializers.CharField(source="from_scheme.identifier")
    to_scheme = serializers.CharField(source="to_scheme.identifier")
    links = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def _listing(name: str, item: type[serializers.Serializer]):
    return inline_serializer(
        name=name,
        fields={"count": serializers.IntegerField(), "results": item(many=True)},
    )


NOT_FOUND = OpenApiResponse(ProblemSerializer, description="No such identifier (problem details).")


class VocabularyListApi(ApiView):
    @extend_schema(
        operation_id="vocabularies_list",
        summary="List the vocabulary schemes",
        responses={200: _listing("SchemeList", SchemeSummarySerializer)},
        tags=["vocabularies"],
    )
    def get(self, request):
        schemes = list(scheme_list())
        data = SchemeSummarySerializer(schemes, many=True, context={"request": request}).data
        return Response({"count": len(schemes), "results": data})


class VocabularyDetailApi(ApiView):
    @extend_schema(
        operation_id="vocabularies_retrieve",
        summary="One scheme with all its terms",
        description="Vocabularies are small: every term comes at once, in display order.",
        responses={200: SchemeDetailSerializer, 404: NOT_FOUND},
        tags=["vocabularies"],
    )
    def get(self, request, scheme: str):
        try:
            found = scheme_get(identifier=scheme)
        except Scheme.DoesNotExist:
            raise Http404(
                _("There is no vocabulary scheme called “%(scheme)s”.") % {"scheme": scheme}
            ) from None
        found.terms_for_api = list(term_list(scheme=found))
        data = SchemeDetailSerializer(found).data
        data["terms"] = TermSerializer(found.terms_for_api, many=True).data
        return Response(data)


class CrosswalkListApi(ApiView):
    @extend_schema(
        operation_id="crosswalks_list",
        summary="List the crosswalks between schemes",
        responses={200: _listing("CrosswalkList", CrosswalkSummarySerializer)},
        tags=["vocabularies"],
    )
    def get(self, request):
        crosswalks = list(crosswalk_list())
        data = CrosswalkSummarySerializer(crosswalks, many=True, context={"request": request}).data
        return Response({"count": len(crosswalks), "results": data})


class CrosswalkDetailApi(ApiView):
    @extend_schema(
        operation_id="crosswalks_retrieve",
        summary="One crosswalk with all its links",
        responses={200: CrosswalkDetailSerializer, 404: NOT_FOUND},
        tags=["vocabularies"],
    )
    def get(self, request, crosswalk: str):
        try:
            found = crosswalk_get(identifier=crosswalk)
        except Crosswalk.DoesNotExist:
            raise Http404(
                _("There is no crosswalk called “%(crosswalk)s”.") % {"crosswalk": crosswalk}
            ) from None
        found.links_for_api = crosswalk_link_pairs(crosswalk=found)
        data = CrosswalkDetailSerializer(
            {
                "identifier": found.identifier,
                "version": found.version,
                "labels": found.labels,
                "source": found.source,
                "from_scheme": found.from_scheme,
                "to_scheme": found.to_scheme,
                "links": found.links_for_api,
            }
        ).data
        return Response(data)
