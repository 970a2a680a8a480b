import pytest

from stocktake.accounts.models import User

from .support import PASSWORD, link_in, log_in, path_of

WRONG = "not-the-password"


def attempt(client, username: str, password: str):
    return client.post("/en/accounts/login/", {"username": username, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_login_with_the_right_password_opens_the_profile(client, make_user):
    user = make_user()

    response = attempt(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    assert logged_in(client)


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, make_user):
    user = make_user()

    response = attempt(client, user.username, WRONG)

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert not logged_in(client)


@pytest.mark.django_db
def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    client, make_user, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    user = make_user()
    for _ in range(5):
        attempt(client, user.username, WRONG)

    response = attempt(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.text
    assert "paused for 15 minutes" in response.text
    assert 'href="/en/accounts/password-reset/"' in response.text
    assert not logged_in(client)


@pytest.mark.django_db
def test_lockout_holds_for_one_account_name_and_address_only(client, make_user):
    locked, other = make_user(), make_user()
    for _ in range(5):
        attempt(client, locked.username, WRONG)

    assert attempt(client, other.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_resetting_the_password_lifts_the_lockout(client, make_user, mailoutbox):
    user = make_user()
    for _ in range(5):
        attempt(client, user.username, WRONG)
    assert attempt(client, user.username, PASSWORD).status_code == 429

    client.post("/en/accounts/password-reset/", {"email": user.email})
    form = client.get(path_of(link_in(mailoutbox[0])), follow=True)
    new_password = "a-brand-new-passphrase"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302

    assert attempt(client, user.username, new_password).status_code == 302


@pytest.mark.django_db
def test_an_unconfirmed_account_is_told_to_confirm_its_address(client, make_user):
    user = make_user(confirmed=False)

    response = attempt(client, user.username, PASSWORD)

    assert "You have not confirmed your e-mail address yet" in response.text
    assert not logged_in(client)


@pytest.mark.django_db
def test_an_unconfirmed_account_with_a_wrong_password_learns_nothing_more(client, make_user):
    user = make_user(confirmed=False)

    response = attempt(client, user.username, WRONG)

    assert "You have not confirmed" not in response.text
    assert "Please enter a correct username and password" in response.text


@pytest.mark.django_db
def test_logout_works_by_post_only(client, make_user):
    log_in(client, make_user())

    assert client.get("/en/accounts/logout/").status_code == 405
    assert logged_in(client)
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert not logged_in(client)


@pytest.mark.django_db
def test_password_reset_emails_a_working_link_in_the_users_language(client, make_user, mailoutbox):
    user = make_user(language="fr")

    response = client.post("/en/accounts/password-reset/", {"email": user.email})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password-reset/sent/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    link = link_in(mailoutbox[0])
    assert link.startswith("http://testserver/fr/accounts/password-reset/")
    assert user.username in mailoutbox[0].body

    form = client.get(path_of(link), follow=True)
    assert form.status_code == 200
    assert 'name="new_password1"' in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert done["Location"] == "/fr/accounts/password-reset/done/"
    assert User.objects.get(pk=user.pk).check_password("another-long-passphrase")


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_an_unknown_address(client, mailoutbox):
    response = client.post("/en/accounts/password-reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_logged_in_user_can_change_their_password(client, make_user):
    user = make_user()
    log_in(client, user)

    response = client.post(
        "/en/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-changed-passphrase",
            "new_password2": "a-changed-passphrase",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/changed/"
    assert User.objects.get(pk=user.pk).check_password("a-changed-passphrase")


@pytest.mark.django_db
def test_many_account_names_failing_from_one_address_pause_logins_from_it(
    client, make_user, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    user = make_user()
    for n in range(4):  # a different account name each time: no per-account lock trips
        attempt(client, f"someone-{n}", WRONG)

    response = attempt(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert "Too many logins have failed from your network" in response.text
    assert not logged_in(client)
    # Another address is not affected.
    other = client.post(
        "/en/accounts/login/",
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.77",
    )
    assert other.status_code == 302


@pytest.mark.django_db
def test_failures_below_the_address_limit_do_not_pause_logins(client, make_user, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    user = make_user()
    for n in range(3):
        attempt(client, f"someone-{n}", WRONG)

    assert attempt(client, user.username, PASSWORD).status_code == 302
