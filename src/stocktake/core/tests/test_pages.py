"""Language prefixes, the switcher, right-to-left, security headers."""

import pytest

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
    html = client.get("/en/vocabularies/sdg-goals/").content.decode()
    for language in ("ar", "fr"):
        assert f'href="/{language}/vocabularies/sdg-goals/" hreflang="{language}"' in html


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
