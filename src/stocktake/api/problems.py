"""Errors in one documented shape: RFC 9457 problem details (application/problem+json), in the
caller's language (Accept-Language, activated by Django's LocaleMiddleware).

Every error of the API goes through `problem_exception_handler`: DRF's own exceptions, Django's
Http404 and PermissionDenied, and the services' ValidationError / TransitionError once
`service_errors()` has translated them."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(exceptions.APIException):
    """An API error with extra members for the problem body and headers for the response."""

    def __init__(self, detail=None, *, extra: dict | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.problem_extra = extra or {}
        self.problem_headers = headers or {}


class Conflict(Problem):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The entry's current state does not allow this.")
    default_code = "conflict"


class PreconditionFailed(Problem):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The version you sent is not the current one.")
    default_code = "precondition_failed"


class PreconditionRequired(Problem):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Send the version you are changing in an If-Match header.")
    default_code = "precondition_required"


class RequestTooLarge(Problem):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def problem_response(
    *, status_code: int, title: str, detail: str, headers: dict | None = None, **extra
) -> Response:
    body = {"type": "about:blank", "title": title, "status": status_code, "detail": detail}
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE, headers=headers)


def _validation_errors(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in error.messages]}


@contextmanager
def service_errors():
    """Turn the service layer's refusals into API errors: a refused permission is a 403, an
    action the entry's state does not allow (TransitionError) a 409, invalid content a 400
    with the messages per field."""
    from stocktake.initiatives.services import TransitionError

    try:
        yield
    except TransitionError as error:
        raise Conflict(" ".join(str(m) for m in error.messages)) from None
    except PermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from None
    except DjangoValidationError as error:
        raise exceptions.ValidationError(_validation_errors(error)) from None


def problem_exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):  # Django's own check of DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = RequestTooLarge()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    data = response.data
    extra = dict(getattr(exc, "problem_extra", {}))
    if isinstance(exc, exceptions.ValidationError):
        extra["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
        detail = str(exceptions.ValidationError.default_detail)
    elif isinstance(data, dict) and "detail" in data:
        detail = str(data["detail"])
    else:
        detail = str(getattr(exc, "detail", "")) or str(exc)
    title = str(getattr(exc, "default_detail", "")) or str(status.HTTP_400_BAD_REQUEST)
    problem = problem_response(
        status_code=response.status_code,
        title=title,
        detail=detail,
        headers=getattr(exc, "problem_headers", None),
        **extra,
    )
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            problem[header] = response[header]
    return problem


# --- the documented shape ------------------------------------------------------------------


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text='Always "about:blank": the status code says it all.')
    title = serializers.CharField(help_text="The kind of error, in the caller's language.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong and what to do about it.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="For 400s: per field (or query parameter), a list of messages; for an object "
        "field, the same shape for its own fields.",
    )


class ConflictProblemSerializer(ProblemSerializer):
    """A 412: the update named a version that is no longer the current one."""

    current_etag = serializers.CharField(help_text="The current version, for If-Match.")
    current = serializers.DictField(help_text="The current content document.")
