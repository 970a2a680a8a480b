"""The OpenAPI document describes the API as the code serves it."""

import pytest
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator


def test_openapi_document_is_served_as_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/vocabularies/{scheme}/" in document["paths"]
    assert "404" in document["paths"]["/api/v1/vocabularies/{scheme}/"]["get"]["responses"]


def test_every_api_route_is_documented():
    document = SchemaGenerator().get_schema(request=None, public=True)
    documented = set(document["paths"])
    api_routes = set()
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) == "api/v1/":
            for sub in pattern.url_patterns:
                for leaf in getattr(sub, "url_patterns", [sub]):
                    route = f"/api/v1/{sub.pattern if hasattr(sub, 'url_patterns') else ''}"
                    route += str(leaf.pattern)
                    api_routes.add(route.replace("<slug:", "{").replace(">", "}"))
    api_routes -= {"/api/v1/openapi.json", "/api/v1/docs/"}
    assert api_routes, "no API routes found"
    assert api_routes <= documented


@pytest.mark.django_db
def test_interactive_docs_are_self_hosted(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "//unpkg" not in html and "jsdelivr" not in html
