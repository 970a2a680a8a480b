"""Helpers shared by the accounts tests."""

import re

from stocktake.accounts.models import User

PASSWORD = "correct-horse-battery-staple"
SITE_URL = "http://testserver"
LINK = re.compile(r"https?://\S+")


def link_in(message) -> str:
    """The first link in an e-mail's body."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0)


def path_of(url: str) -> str:
    return url.removeprefix(SITE_URL)


def log_in(client, user: User) -> None:
    # The first configured backend (django-axes) only watches logins; ModelBackend logs in.
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
