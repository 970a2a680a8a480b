"""Language prefixes, the switcher, right-to-left, security headers."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.mark.parametrize(
    "accept,expected", [("ar,en;q=0.5", "/ar/"), ("fr-FR,fr;q=0.9", "/fr/"), ("en-GB", "/en/")]
)
def test_root_redirects_by_the_browsers_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_root_falls_back_to_the_default_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Location"] == "/en/"


@pytest.mark.parametrize("language", ["ar", "en", "fr"])
def test_the_header_and_footer_link_to_the_pages_in_the_pages_language(client, language):
    """Their addresses are worked out once per language: each language keeps its own."""
    for _ in range(2):  # the second time from what the first worked out
        html = client.get(f"/{language}/about/").content.decode()
        for path in ("", "initiatives/", "initiatives/countries/", "vocabularies/", "about/"):
            assert f'<a href="/{language}/{path}"' in html, path
        assert f'<a href="/{language}/accounts/login/">' in html
        assert '<a href="/api/v1/openapi.json">' in html
        assert f'<a class="brand" href="/{language}/">' in html


@pytest.mark.parametrize("path", ["/", "/about/", "/vocabularies/"])
@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("en", "ltr"), ("fr", "ltr")])
def test_pages_render_in_each_language_with_its_direction(client, path, language, direction):
    response = client.get(f"/{language}{path}")
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">'.encode() in response.content


def test_interface_strings_are_translated(client):
    assert "المفردات".encode() in client.get("/ar/").content
    assert b"Vocabulaires" in client.get("/fr/").content


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    html = client.get("/en/vocabularies/sdg-goals/?x=1").content.decode()
    for language in ("ar", "fr"):
        # Alternates for crawlers point at the page itself; the switcher goes through the
        # view that remembers the choice, then lands on that same page.
        assert f'hreflang="{language}" href="/{language}/vocabularies/sdg-goals/?x=1"' in html
        switch = f"/language/{language}/?next=%2F{language}%2Fvocabularies%2Fsdg-goals%2F%3Fx%3D1"
        assert f'href="{switch}" rel="nofollow" hreflang="{language}"' in html
        response = client.get(switch)
        assert response.status_code == 302
        assert response["Location"] == f"/{language}/vocabularies/sdg-goals/?x=1"
    # The same page again (its addresses in each language are kept once worked out), with
    # another query, and from another language: each gets its own.
    html = client.get("/en/vocabularies/sdg-goals/?y=2").content.decode()
    assert 'hreflang="fr" href="/fr/vocabularies/sdg-goals/?y=2"' in html
    assert "x=1" not in html
    html = client.get("/fr/vocabularies/sdg-goals/").content.decode()
    assert 'hreflang="en" href="/en/vocabularies/sdg-goals/"' in html
    assert 'hreflang="ar" href="/ar/vocabularies/sdg-goals/"' in html


def test_choosing_a_language_is_remembered_for_the_root_address(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/en/"
    response = client.get("/language/ar/", {"next": "/ar/about/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/ar/about/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ar"
    assert cookie["max-age"] >= 30 * 24 * 60 * 60  # kept after the browser closes
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # Later, the root follows the choice rather than the browser's language.
    root = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert root.status_code == 302
    assert root["Location"] == "/ar/"
    client.get("/language/fr/", {"next": "/ar/"})
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar")["Location"] == "/fr/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", ""])
def test_choosing_a_language_never_redirects_off_site(client, next_url):
    response = client.get("/language/fr/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_choosing_an_unknown_language_is_404(client):
    response = client.get("/language/xx/", {"next": "/en/"})
    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_pages_have_landmarks_and_a_skip_link(client):
    html = client.get("/en/").content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert "<script>" not in html


def test_static_assets_are_self_hosted(client):
    html = client.get("/ar/").content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    assert "/static/vendor/htmx/htmx.min.js" in html
