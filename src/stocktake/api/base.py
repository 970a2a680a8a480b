"""What every endpoint of the API shares: the base view (strict JSON in; problem details
documented for every error), page-based pagination, and ETags."""

import hashlib
import json
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.views import APIView

from .problems import PROBLEM_CONTENT_TYPE, ProblemSerializer

# --- requests --------------------------------------------------------------------------------


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class StrictJSONParser(JSONParser):
    """JSON as the standard has it: Python's json module also reads NaN and Infinity, which
    no other client could send back. (The body's size is Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    check, answered with a 413 problem: see problems.py.)"""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(stream.read().decode(encoding), parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError, LookupError) as error:
            raise exceptions.ParseError(
                _("The request body is not valid JSON: %(error)s") % {"error": error}
            ) from None


# --- the documented errors -------------------------------------------------------------------


def problem(description) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=description)


COMMON_PROBLEMS = {
    401: problem(_("An Authorization header with a token that is not valid (see detail).")),
    406: problem(_("The Accept header asks for something other than JSON.")),
    429: problem(_("Too many requests: wait for the time in Retry-After.")),
}
AUTH_PROBLEMS = {
    401: problem(_("No valid credentials: send Authorization: Bearer <token>.")),
    403: problem(_("These credentials do not allow this action.")),
}
BODY_PROBLEMS = {
    400: problem(_("The body is not valid JSON or its content is not valid (see errors).")),
    413: problem(_("The body is too large.")),
    415: problem(_("The body is not JSON (send Content-Type: application/json).")),
}


class ApiAutoSchema(AutoSchema):
    """Declares the problem responses every operation can give, with their media type, so the
    document lists every status code the API answers with."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        defaults = {**COMMON_PROBLEMS}
        view = self.view
        permissions = view.get_permissions_for(self.method)
        if IsAuthenticated in permissions or self.method not in SAFE_METHODS:
            defaults.update(AUTH_PROBLEMS)
        if self.method in ("POST", "PUT", "PATCH"):
            defaults.update(BODY_PROBLEMS)
        for code, response in defaults.items():
            responses.setdefault(
                str(code),
                self._get_response_for_code(response, str(code), [PROBLEM_CONTENT_TYPE], direction),
            )
        for code, response in responses.items():
            content = response.get("content", {})
            if int(code) >= 400 and "application/json" in content:
                content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return dict(sorted(responses.items()))


class ApiView(APIView):
    parser_classes = [StrictJSONParser]
    schema = ApiAutoSchema()

    @classmethod
    def get_permissions_for(cls, method: str) -> list:
        """The permission classes a request with this method meets (for the document)."""
        return list(cls.permission_classes)


# --- pages -----------------------------------------------------------------------------------

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class PageParameters(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1, max_value=10**6, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )


def page_links(request, *, number: int, size: int, count: int) -> dict:
    """The addresses of the next and previous pages (None at either end)."""

    def link(page: int) -> str:
        query = request.query_params.copy()
        query["page"] = str(page)
        query["page_size"] = str(size)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    last = max(1, -(-count // size))
    return {
        "next": link(number + 1) if number < last else None,
        "previous": link(min(number - 1, last)) if number > 1 else None,
    }


def paginate(request, queryset, *, serialize) -> dict:
    """One page of an ordered queryset (whose order ends with a unique key, so pages never
    overlap or skip). A page past the last one is empty, not an error; bad page parameters
    are a 400 problem."""
    parameters = PageParameters(data=request.query_params.dict())
    parameters.is_valid(raise_exception=True)
    number, size = parameters.validated_data["page"], parameters.validated_data["page_size"]
    count = queryset.count()
    offset = (number - 1) * size
    items = list(queryset[offset : offset + size]) if offset < count else []
    return {
        "count": count,
        "page": number,
        "page_size": size,
        **page_links(request, number=number, size=size, count=count),
        "results": serialize(items),
    }


def page_of(name: str, item) -> serializers.Serializer:
    """The documented shape of a page of `item`s."""
    from drf_spectacular.utils import inline_serializer

    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(help_text="Items on all pages."),
            "page": serializers.IntegerField(),
            "page_size": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item,
        },
    )


# --- versions --------------------------------------------------------------------------------

ETAG = re.compile(r'^(W/)?"([^"]*)"$')


def digest_etag(prefix: str, data) -> str:
    """A weak ETag for a representation: its identity and a digest of what it says."""
    body = json.dumps(data, sort_keys=True, default=str).encode()
    return f'W/"{prefix}-{hashlib.sha256(body).hexdigest()[:16]}"'


def if_none_match(request, etag: str) -> bool:
    """Whether If-None-Match names this ETag (weak comparison, as RFC 9110 asks)."""
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return True
    wanted = ETAG.match(etag)
    for candidate in header.split(","):
        found = ETAG.match(candidate.strip())
        if found and wanted and found.group(2) == wanted.group(2):
            return True
    return False


# --- no such endpoint ------------------------------------------------------------------------


class NoEndpointView(ApiView):
    """Any address under /api/v1/ that names no endpoint: a 404 problem for every method."""

    schema = None  # not an endpoint: left out of the OpenAPI document

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound(
            _("There is no API endpoint at this address. The endpoints are listed at %(url)s.")
            % {"url": request.build_absolute_uri("/api/v1/docs/")}
        )
