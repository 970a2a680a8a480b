"""Property-based fuzzing of the whole API against its OpenAPI document (schemathesis over
the WSGI application): no input gives a 5xx, and every response matches the document (status
code, content type, headers, body schema). Reads anonymously and with tokens; writes with
read-write tokens of a member and a moderator, on entries seeded through the services.

Reproducible (derandomized) and bounded: 20 examples per operation that fit the document and
5 that do not (which must be refused with a documented 4xx problem)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stocktake.accounts.services import api_token_create
from stocktake.initiatives import services
from stocktake.initiatives.models import Initiative
from stocktake.initiatives.tests.factories import (
    make_draft,
    make_org,
    make_published,
    make_submitted,
    make_user,
)
from stocktake.vocabularies.models import Crosswalk

pytestmark = pytest.mark.usefixtures("vocabularies")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Requests that do not fit the document: they must be refused with a documented 4xx problem.
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 5}
SCHEMES = ["countries", "sdg-goals", "wsis-action-lines", "stakeholder-types"]
MODERATOR_OPERATIONS = ("publish", "request_changes", "archive", "restore", "moderation_queue")


@pytest.fixture
def wsgi_app():
    """The real WSGI application, keeping the test's database connection open between
    requests (as Django's test client does): closing it would end the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world():
    """Published entries to read, drafts and submissions to act on, and two tokens."""
    member, moderator = make_user(), make_user(moderator=True)
    organisation = make_org(members=[member], names={"en": "Fuzz ministry", "fr": "Ministère"})
    ids = [
        make_published(
            author=member,
            organisation=organisation,
            partners=[{"name": "Partner", "stakeholder_type": "government", "country": "EG"}],
            links=[{"label": "Site", "url": "https://example.org"}],
            sdg_goal_evidence={"4": "Skills for work."},
        ).pk,
        make_published(organisation=make_org(country="EG"), countries=["EG"]).pk,
        make_draft(author=member, organisation=organisation, sdg_goal_evidence={"4": "Draft."}).pk,
        make_submitted(author=member, organisation=organisation).pk,
        make_submitted(author=member, organisation=organisation).pk,
    ]
    tokens = {
        who: api_token_create(user=user, name="fuzz", scope="read-write")[1]
        for who, user in (("member", member), ("moderator", moderator))
    }
    crosswalks = list(Crosswalk.objects.values_list("identifier", flat=True)[:3])
    return {"ids": ids, "organisation": organisation.pk, "tokens": tokens, "crosswalks": crosswalks}


def _current_etag(pk: int) -> str | None:
    try:
        revision = services.editable_revision(Initiative.objects.get(pk=pk))
    except (Initiative.DoesNotExist, services.TransitionError):
        return None
    return f'"r{revision.pk}.{revision.lock}"' if revision else None


def _aim(case, world) -> None:
    """Point most generated values at seeded rows and valid versions, so that the fuzzing
    reaches past the 404s, 412s and 400s into the code behind them."""
    parameters = case.path_parameters or {}
    value = parameters.get("id")
    if isinstance(value, int) and value % 7:
        parameters["id"] = world["ids"][value % len(world["ids"])]
    for name, known in (("scheme", SCHEMES), ("crosswalk", world["crosswalks"])):
        if name in parameters and known and len(str(parameters[name])) % 3:
            parameters[name] = known[len(str(parameters[name])) % len(known)]
    body = case.body
    organisation = body.get("organisation") if isinstance(body, dict) else None
    if isinstance(organisation, int) and organisation % 3:
        body["organisation"] = world["organisation"]
    content = body.get("content") if isinstance(body, dict) and "organisation" in body else body
    if isinstance(content, dict) and len(content) % 2:
        content["original_language"] = "en"
        content["title"] = {"en": "Fuzzed title"}
    sent = (case.headers or {}).get("If-Match")
    if sent is not None and isinstance(parameters.get("id"), int) and len(sent) % 4:
        case.headers["If-Match"] = _current_etag(parameters["id"]) or sent


def _headers(operation_id: str, world, case) -> dict:
    who = "moderator" if operation_id.endswith(MODERATOR_OPERATIONS) else "member"
    headers = {"Accept-Language": ("en", "fr", "ar")[len(str(case.query or "")) % 3]}
    if case.method != "GET" or (case.query and len(str(case.query)) % 2):
        headers["Authorization"] = f"Bearer {world['tokens'][who]}"
    if operation_id in ("initiatives_draft_retrieve", "moderation_queue"):
        headers["Authorization"] = f"Bearer {world['tokens'][who]}"
    return headers


def _fuzz(operation, operation_id: str, world, statuses: set, mode: GenerationMode) -> None:
    checks = CHECKS if mode == GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        _aim(case, world)
        response = case.call(headers=_headers(operation_id, world, case))
        statuses.add(response.status_code)
        case.validate_response(response, checks=checks)

    run()


def _modes(operation) -> list[GenerationMode]:
    """Negative data for operations with something to get wrong: a body, query parameters
    or a numeric path parameter (any string is a valid scheme name, and a 404)."""
    raw = operation.definition.raw
    typed = [
        p
        for p in raw.get("parameters", [])
        if p["in"] == "query" or (p["in"] == "path" and p["schema"].get("type") == "integer")
    ]
    if typed or "requestBody" in raw:
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def test_the_api_holds_to_its_document_whatever_it_is_sent(wsgi_app, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    # Reads first, then drafting, then the lifecycle actions that change what the others see.
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda operation: (
            operation.method.upper() != "GET",
            operation.method.upper() == "POST" and "/{id}/" in operation.path,
            operation.path,
            operation.method,
        ),
    )
    assert len(operations) >= 20
    failures, statuses = {}, {}
    for operation in operations:
        operation_id = operation.definition.raw.get("operationId", operation.label)
        statuses[operation_id] = set()
        for mode in _modes(operation):
            try:
                _fuzz(operation, operation_id, world, statuses[operation_id], mode)
            except Exception as error:  # every failure, reported together
                failures[f"{operation_id} ({mode})"] = f"{type(error).__name__}: {error}"[:3000]
    assert failures == {}, "\n\n".join(f"{op}:\n{message}" for op, message in failures.items())
    # The fuzzing got past the refusals into the code behind them.
    assert 201 in statuses["initiatives_create"]
    assert 200 in statuses["initiatives_draft_update"]
    assert 200 in statuses["initiatives_draft_partial_update"]
    assert 200 in statuses["initiatives_retrieve"]
