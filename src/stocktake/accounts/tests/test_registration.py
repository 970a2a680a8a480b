import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from stocktake.accounts.models import ScreeningStatus, User
from stocktake.accounts.tokens import confirmation_token_make

from .support import PASSWORD, link_in, path_of


def registration_data(**overrides) -> dict:
    data = {
        "username": "layla",
        "email": "layla@example.org",
        "first_name": "Layla",
        "last_name": "Mansour",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "preferred_language": "en",
        "registration_note": "National AI Centre, programme manager.",
    }
    data.update(overrides)
    return data


def register(client, django_capture_on_commit_callbacks, language="en", **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/{language}/accounts/register/", registration_data(**overrides))


@pytest.mark.django_db
def test_registration_emails_a_link_that_activates_the_account_which_then_waits_for_screening(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = register(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/register/sent/"
    user = User.objects.get(username="layla")
    assert not user.is_active
    assert user.registration_note == "National AI Centre, programme manager."
    assert "layla@example.org" in client.get(response["Location"]).text

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["layla@example.org"]
    link = link_in(mailoutbox[0])
    assert link.startswith("http://testserver/en/accounts/confirm/")

    # Opening the link only asks for confirmation; pressing the button confirms.
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert 'method="post"' in page.text
    user.refresh_from_db()
    assert not user.is_active

    confirmed = client.post(path_of(link))
    assert confirmed.status_code == 200
    assert "waits for screening" in confirmed.text
    user.refresh_from_db()
    assert user.is_active
    assert user.email_confirmed_at is not None
    assert user.screening_status == ScreeningStatus.PENDING

    login = client.post("/en/accounts/login/", {"username": "layla", "password": PASSWORD})
    assert login.status_code == 302
    assert login["Location"] == reverse("accounts:profile")
    profile = client.get("/en/accounts/profile/")
    assert "A moderator will review your account" in profile.text


@pytest.mark.django_db
def test_confirmation_email_is_written_in_the_chosen_language_with_a_link_in_it(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    register(client, django_capture_on_commit_callbacks, preferred_language="ar")

    assert "/ar/accounts/confirm/" in link_in(mailoutbox[0])


@pytest.mark.django_db
def test_preferred_language_defaults_to_the_language_of_the_page(client):
    response = client.get("/fr/accounts/register/")

    assert '<option value="fr" selected>' in response.text


@pytest.mark.django_db
def test_duplicate_email_is_refused_beside_the_field_without_creating_an_account(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(email="layla@example.org")

    response = register(
        client, django_capture_on_commit_callbacks, username="other", email="LAYLA@example.org"
    )

    assert response.status_code == 400
    assert "An account with this e-mail address already exists" in response.text
    # The message is tied to its field for assistive technology.
    assert 'id="id_email_error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="id_email_helptext id_email_error"' in response.text
    assert not User.objects.filter(username="other").exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_duplicate_username_is_refused_whatever_its_case(
    client, make_user, django_capture_on_commit_callbacks
):
    make_user(username="layla")

    response = register(
        client, django_capture_on_commit_callbacks, username="Layla", email="new@example.org"
    )

    assert response.status_code == 400
    assert "This username is taken" in response.text
    assert 'id="id_username_error"' in response.text


@pytest.mark.django_db
def test_mismatched_or_weak_passwords_are_refused(client, django_capture_on_commit_callbacks):
    mismatched = register(
        client, django_capture_on_commit_callbacks, password_confirm="something-else-entirely"
    )
    weak = register(
        client, django_capture_on_commit_callbacks, password="12345678", password_confirm="12345678"
    )

    assert "The two passwords do not match." in mismatched.text
    assert weak.status_code == 400
    assert 'id="id_password_error"' in weak.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_registration_requires_the_organisation_and_role_statement(
    client, django_capture_on_commit_callbacks
):
    response = register(client, django_capture_on_commit_callbacks, registration_note="  ")

    assert response.status_code == 400
    assert 'id="id_registration_note_error"' in response.text


@pytest.mark.django_db
def test_invalid_confirmation_link_shows_a_clear_page_with_a_way_to_get_a_new_one(client):
    response = client.get("/en/accounts/confirm/not-a-real-token/")

    assert response.status_code == 400
    assert "This link does not work" in response.text
    assert f'action="{reverse("accounts:resend-confirmation")}"' in response.text


@pytest.mark.django_db
def test_expired_confirmation_link_says_so_and_offers_a_new_link_to_the_same_address(
    client, make_user, monkeypatch
):
    user = make_user(email="late@example.org", confirmed=False)
    four_days_ago = time.time() - timedelta(days=4).total_seconds()
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: four_days_ago)
        token = confirmation_token_make(user=user)

    shown = client.get(f"/en/accounts/confirm/{token}/")
    pressed = client.post(f"/en/accounts/confirm/{token}/")

    assert shown.status_code == pressed.status_code == 400
    assert "This link has expired" in shown.text
    assert 'value="late@example.org"' in shown.text
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.django_db
def test_a_link_stops_working_when_the_address_changes(client, make_user):
    user = make_user(confirmed=False)
    token = confirmation_token_make(user=user)
    User.objects.filter(pk=user.pk).update(email="changed@example.org")

    response = client.post(f"/en/accounts/confirm/{token}/")

    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.django_db
def test_confirming_twice_changes_nothing(client, make_user):
    user = make_user(confirmed=False)
    token = confirmation_token_make(user=user)
    client.post(f"/en/accounts/confirm/{token}/")
    first = User.objects.get(pk=user.pk).email_confirmed_at

    again = client.get(f"/en/accounts/confirm/{token}/")

    assert again.status_code == 200
    assert User.objects.get(pk=user.pk).email_confirmed_at == first


@pytest.mark.django_db
def test_resending_sends_a_new_link_to_an_unconfirmed_account_and_answers_the_same_otherwise(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(email="waiting@example.org", confirmed=False)
    make_user(email="done@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.post("/en/accounts/confirm/resend/", {"email": "Waiting@example.org"})
        confirmed = client.post("/en/accounts/confirm/resend/", {"email": "done@example.org"})
        unknown = client.post("/en/accounts/confirm/resend/", {"email": "nobody@example.org"})

    assert waiting.status_code == confirmed.status_code == unknown.status_code == 302
    assert [message.to for message in mailoutbox] == [["waiting@example.org"]]
    page = client.get(link_in(mailoutbox[0]).removeprefix("http://testserver"))
    assert page.status_code == 200


@pytest.mark.django_db
def test_logged_in_people_are_sent_from_registration_to_their_profile(client, make_user):
    from .support import log_in

    log_in(client, make_user())

    assert client.get("/en/accounts/register/")["Location"] == "/en/accounts/profile/"


def test_confirmation_link_path_is_language_prefixed():
    with translation.override("ar"):
        assert reverse("accounts:confirm-email", args=["abc"]).startswith("/ar/")
