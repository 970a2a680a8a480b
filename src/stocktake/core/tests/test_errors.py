"""Error pages: in the reader's language and direction, with landmarks and ways on.

The test settings run with DEBUG off, as production does, so the test client gets the pages a
visitor would see. The API keeps its own errors (RFC 9457 problem documents)."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error

from stocktake import urls as project_urls

pytestmark = pytest.mark.usefixtures("vocabularies")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("test")


def broken(request):
    raise RuntimeError("test")


# The project's addresses, plus three that fail on purpose.
urlpatterns = [
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("broken/", broken),
    *project_urls.urlpatterns,
]


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("en", "ltr"), ("fr", "ltr")])
def test_a_missing_page_is_a_404_page_in_the_readers_language(client, language, direction):
    response = client.get(f"/{language}/vocabularies/nope/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert "<header" in html and '<main id="main"' in html and "<footer" in html
    assert 'href="#main"' in html
    assert 'class="language-switcher"' in html
    assert f'href="/{language}/"' in html  # home
    assert f'action="/{language}/initiatives/"' in html and 'name="q"' in html  # search
    assert "Traceback" not in html


def test_the_404_page_says_what_happened(client):
    html = client.get("/en/vocabularies/nope/").content.decode()
    assert "<title>Page not found · Stocktake</title>" in html
    assert "<h1>Page not found</h1>" in html


def test_the_404_language_switcher_offers_the_same_address_in_the_other_languages(client):
    html = client.get("/ar/vocabularies/nope/").content.decode()
    assert 'hreflang="fr" href="/fr/vocabularies/nope/"' in html
    assert "next=%2Fen%2Fvocabularies%2Fnope%2F" in html


def test_an_address_outside_any_language_is_a_404_page_too(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert b'<html lang="fr" dir="ltr">' in response.content


@override_settings(ROOT_URLCONF=__name__)
def test_permission_denied_is_a_403_page(client):
    response = client.get("/forbidden/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<main id="main"' in html and 'class="language-switcher"' in html
    assert "/ar/accounts/login/?next=/forbidden/" in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_bad_request_is_a_400_page(client):
    response = client.get("/suspicious/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Bad request" in html and '<main id="main"' in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_a_plain_500_page_in_the_readers_language():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'href="/ar/"' in html
    assert "RuntimeError" not in html


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_the_500_page_renders_without_a_request_context(language, direction):
    # Django renders 500.html with an empty context; it must need nothing else.
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert '<main id="main"' in html


def test_the_api_keeps_its_problem_documents(client):
    response = client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
