import pytest

from stocktake.accounts.models import User
from stocktake.accounts.services import user_screen

from .support import log_in


@pytest.mark.django_db
def test_profile_requires_login(client):
    response = client.get("/en/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/accounts/profile/"


@pytest.mark.django_db
def test_profile_shows_the_account_and_explains_pending_screening(client, make_user):
    user = make_user(first_name="Amina", last_name="Haddad", email="amina@example.org")
    log_in(client, user)

    response = client.get("/en/accounts/profile/")

    assert response.status_code == 200
    assert "Amina Haddad" in response.text
    assert "amina@example.org" in response.text
    assert "Waiting for screening" in response.text
    assert "You can prepare drafts once it is approved" in response.text
    assert "You do not belong to any organisation yet" in response.text


@pytest.mark.django_db
def test_profile_explains_a_rejection_with_the_moderators_note(client, make_user, moderator):
    user = make_user()
    user_screen(moderator=moderator, user=user, approve=False, note="Please use a work address.")
    log_in(client, user)

    response = client.get("/en/accounts/profile/")

    assert "has not approved your account" in response.text
    assert "Please use a work address." in response.text


@pytest.mark.django_db
def test_profile_saves_name_and_preferred_language(client, make_user):
    user = make_user()
    log_in(client, user)

    response = client.post(
        "/en/accounts/profile/",
        {"first_name": "Amina", "last_name": "", "preferred_language": "ar"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.preferred_language) == ("Amina", "", "ar")
    assert "Your profile is saved." in client.get("/en/accounts/profile/").text


@pytest.mark.django_db
def test_profile_refuses_a_language_the_site_does_not_offer(client, make_user):
    user = make_user()
    log_in(client, user)

    response = client.post(
        "/en/accounts/profile/",
        {"first_name": "Amina", "last_name": "", "preferred_language": "xx"},
    )

    assert response.status_code == 400
    assert User.objects.get(pk=user.pk).preferred_language == "en"


@pytest.mark.django_db
def test_profile_lists_the_users_organisations_with_their_role(
    client, make_user, moderator, vocabularies
):
    services = pytest.importorskip("stocktake.organisations.services")
    user = make_user()
    # Only a screened account may register an organisation.
    user = user_screen(moderator=moderator, user=user, approve=True)
    organisation = services.organisation_create(
        names={"en": "National AI Centre"}, stakeholder_type="government", created_by=user
    )
    log_in(client, user)

    response = client.get("/en/accounts/profile/")

    assert "National AI Centre" in response.text
    assert "Organisation admin" in response.text
    # Its admin finds the organisation's profile and members from here.
    assert f'href="/en/organisations/{organisation.slug}/edit/"' in response.text
    assert f'href="/en/organisations/{organisation.slug}/members/"' in response.text
