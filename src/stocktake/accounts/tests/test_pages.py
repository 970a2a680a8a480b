"""Every account page renders in every language, right-to-left in Arabic."""

import pytest

from .support import log_in

PUBLIC_PAGES = [
    "accounts/register/",
    "accounts/register/sent/",
    "accounts/login/",
    "accounts/confirm/resend/",
    "accounts/password-reset/",
    "accounts/password-reset/sent/",
    "accounts/password-reset/done/",
]
MEMBER_PAGES = ["accounts/profile/", "accounts/password/", "accounts/password/changed/"]
DIRECTION = {"ar": 'dir="rtl"', "en": 'dir="ltr"', "fr": 'dir="ltr"'}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en", "fr"])
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_account_pages_render_in_each_language_and_direction(client, page, language):
    response = client.get(f"/{language}/{page}")

    assert response.status_code == 200
    assert f'<html lang="{language}" {DIRECTION[language]}>' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_member_pages_render_in_each_language_and_direction(client, make_user, page, language):
    log_in(client, make_user())

    response = client.get(f"/{language}/{page}")

    assert response.status_code == 200
    assert f'<html lang="{language}" {DIRECTION[language]}>' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
def test_screening_page_renders_in_each_language_and_direction(
    client, make_user, moderator, language
):
    make_user()
    log_in(client, moderator)

    response = client.get(f"/{language}/accounts/screening/")

    assert response.status_code == 200
    assert DIRECTION[language] in response.text


@pytest.mark.django_db
def test_lockout_page_renders_right_to_left_in_arabic(client, make_user):
    user = make_user()
    for _ in range(6):
        response = client.post(
            "/ar/accounts/login/", {"username": user.username, "password": "wrong"}
        )

    assert response.status_code == 429
    assert 'dir="rtl"' in response.text


@pytest.mark.django_db
def test_every_form_control_has_a_label(client):
    response = client.get("/en/accounts/register/")

    for name in [
        "username",
        "email",
        "first_name",
        "last_name",
        "password",
        "password_confirm",
        "preferred_language",
        "registration_note",
    ]:
        assert f'<label class="field-label" for="id_{name}">' in response.text
    assert 'id="id_username_helptext"' in response.text
    assert 'aria-describedby="id_username_helptext"' in response.text


@pytest.mark.django_db
def test_account_pages_load_the_form_styles(client):
    response = client.get("/en/accounts/login/")

    assert 'href="/static/css/forms.css"' in response.text
