"""Clients for the API tests: anonymous, and signed in with a real personal API token."""

import pytest
from rest_framework.test import APIClient

from stocktake.accounts.services import api_token_create


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def api_as():
    """api_as(user, scope="read-write"): a client sending a new token of that user."""

    def make(user, scope: str = "read-write") -> APIClient:
        _token, secret = api_token_create(user=user, name=f"tests {scope}", scope=scope)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make
