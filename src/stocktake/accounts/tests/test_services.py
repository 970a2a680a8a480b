"""The account services, called directly as the API and other apps call them."""

import pytest
from django.core.exceptions import ValidationError

from stocktake.accounts.models import User
from stocktake.accounts.services import user_confirm_email, user_register, user_update_profile
from stocktake.accounts.tokens import ConfirmationLinkInvalid

from .support import PASSWORD


def arguments(**overrides) -> dict:
    values = {
        "username": "karim",
        "email": "karim@example.org",
        "password": PASSWORD,
        "first_name": "Karim",
        "preferred_language": "ar",
        "registration_note": "University of Tunis, researcher.",
    }
    values.update(overrides)
    return values


@pytest.mark.django_db
def test_registration_creates_an_inactive_unscreened_account():
    user = user_register(**arguments())

    assert not user.is_active
    assert user.email_confirmed_at is None
    assert not user.is_screened
    assert user.check_password(PASSWORD)
    assert user.language == "ar"


@pytest.mark.django_db
def test_registration_reports_every_problem_keyed_by_argument(make_user):
    make_user(username="karim", email="karim@example.org")

    with pytest.raises(ValidationError) as refused:
        user_register(
            **arguments(
                username="KARIM",
                email="Karim@Example.org",
                password="123",
                first_name=" ",
                preferred_language="xx",
                registration_note="",
            )
        )

    assert set(refused.value.message_dict) == {
        "username",
        "email",
        "password",
        "first_name",
        "preferred_language",
        "registration_note",
    }
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_confirming_with_a_forged_token_is_refused():
    user_register(**arguments())

    with pytest.raises(ConfirmationLinkInvalid):
        user_confirm_email(token="eyJ1c2VyIjoxfQ:forged:signature")


@pytest.mark.django_db
def test_profile_update_refuses_an_unknown_language(make_user):
    user = make_user()

    with pytest.raises(ValidationError):
        user_update_profile(user=user, first_name="A", last_name="", preferred_language="xx")


def test_an_account_without_a_usable_language_is_written_to_in_the_site_language(settings):
    assert User(preferred_language="").language == settings.LANGUAGE_CODE
    assert User(preferred_language="de").language == settings.LANGUAGE_CODE
