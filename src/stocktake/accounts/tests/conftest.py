"""Accounts made the way people make them: through the registration and screening services."""

from itertools import count

import pytest

from stocktake.accounts.models import User
from stocktake.accounts.services import user_confirm_email, user_register, user_screen
from stocktake.accounts.tokens import confirmation_token_make

from .support import PASSWORD, SITE_URL

_numbers = count(1)


@pytest.fixture(autouse=True)
def site_url(settings):
    """Links in e-mails point at the test server, so tests can follow them."""
    settings.SITE_URL = SITE_URL


@pytest.fixture
def make_user(db):
    """An account registered through the service; confirmed unless told otherwise."""

    def make(
        *,
        username: str | None = None,
        email: str | None = None,
        confirmed: bool = True,
        language: str = "en",
        first_name: str = "Amina",
        last_name: str = "Haddad",
    ) -> User:
        number = next(_numbers)
        user = user_register(
            username=username or f"person{number}",
            email=email or f"person{number}@example.org",
            password=PASSWORD,
            first_name=first_name,
            last_name=last_name,
            preferred_language=language,
            registration_note="Ministry of Digital Economy, policy officer.",
        )
        if confirmed:
            user = user_confirm_email(token=confirmation_token_make(user=user))
        return user

    return make


@pytest.fixture
def site_admin(db) -> User:
    # The first administrator comes from `createsuperuser`, as on a real instance.
    return User.objects.create_superuser(
        username="siteadmin", email="admin@example.org", password=PASSWORD
    )


@pytest.fixture
def moderator(make_user, site_admin) -> User:
    user = make_user(username="moderator", first_name="Omar")
    user_screen(moderator=site_admin, user=user, approve=True)
    User.objects.filter(pk=user.pk).update(is_moderator=True)
    user.refresh_from_db()
    return user
