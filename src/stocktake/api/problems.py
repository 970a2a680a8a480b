"""Errors in one documented shape: RFC 9457 problem details (application/problem+json)."""

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_response(*, status_code: int, title: str, detail: str, **extra) -> Response:
    body = {"type": "about:blank", "title": title, "status": status_code, "detail": detail}
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else None)
    data = response.data
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = data
        detail = str(exceptions.ValidationError.default_detail)
    elif isinstance(data, dict) and "detail" in data:
        detail = str(data["detail"])
    else:
        detail = str(getattr(exc, "detail", "")) or str(exc)
    title = str(getattr(exc, "default_detail", "")) or status.HTTP_400_BAD_REQUEST
    extra = {"errors": errors} if errors is not None else {}
    problem = problem_response(
        status_code=response.status_code, title=title, detail=detail, **extra
    )
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            problem[header] = response[header]
    return problem
