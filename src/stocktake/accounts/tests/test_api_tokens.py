"""Personal API tokens: the services' rules and the profile page that manages them."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stocktake.accounts.models import ApiToken, ApiTokenScope, User
from stocktake.accounts.selectors import user_api_tokens
from stocktake.accounts.services import (
    API_TOKEN_LIMIT,
    ApiTokenRefused,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    user_screen,
)

from .support import log_in

PROFILE = "/en/accounts/profile/"
CREATE = "/en/accounts/profile/api-tokens/"


def revoke_url(api_token: ApiToken) -> str:
    return f"/en/accounts/profile/api-tokens/{api_token.pk}/revoke/"


@pytest.fixture
def approved(make_user, moderator):
    """Make an account a moderator has approved."""

    def make(**kwargs) -> User:
        return user_screen(moderator=moderator, user=make_user(**kwargs), approve=True)

    return make


@pytest.fixture
def owner(approved) -> User:
    return approved(username="owner")


def csrf_client(user: User) -> Client:
    """A client that, like a browser, must send the CSRF token it was given."""
    client = Client(enforce_csrf_checks=True)
    log_in(client, user)
    client.get(PROFILE)
    return client


def csrf_token(client: Client) -> str:
    return client.cookies["csrftoken"].value


# --- Services -------------------------------------------------------------------------------


def test_a_new_token_is_returned_once_and_only_its_hash_is_stored(owner):
    api_token, secret = api_token_create(user=owner, name="Reporting script", scope="read")

    assert secret.startswith(f"stk_{api_token.key_id}_")
    stored = ApiToken.objects.get(pk=api_token.pk)
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    secret_part = secret.split("_", 2)[2]
    for field in ApiToken._meta.concrete_fields:
        assert secret_part not in str(getattr(stored, field.attname))
    assert api_token_authenticate(token=secret) == stored


def test_two_tokens_have_different_keys_and_secrets(owner):
    first, first_secret = api_token_create(user=owner, name="One", scope="read")
    second, second_secret = api_token_create(user=owner, name="Two", scope="read")

    assert first.key_id != second.key_id
    assert first_secret != second_secret
    assert api_token_authenticate(token=second_secret) == second


@pytest.mark.parametrize("screened", ["pending", "rejected"])
def test_an_account_not_approved_cannot_create_tokens(make_user, moderator, screened):
    user = make_user()
    if screened == "rejected":
        user_screen(moderator=moderator, user=user, approve=False)

    with pytest.raises(PermissionDenied):
        api_token_create(user=user, name="Script", scope="read")

    assert not ApiToken.objects.filter(user=user).exists()


def test_anonymous_callers_cannot_create_tokens(db):
    with pytest.raises(PermissionDenied):
        api_token_create(user=AnonymousUser(), name="Script", scope="read")


def test_a_moderator_can_create_tokens(moderator):
    api_token, _secret = api_token_create(user=moderator, name="Queue", scope="read-write")

    assert api_token.allows_write


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"scope": "admin"}, "scope"),
        ({"expires_at": "past"}, "expires_at"),
    ],
)
def test_invalid_token_details_are_refused_by_field(owner, arguments, field):
    if arguments.get("expires_at") == "past":
        arguments["expires_at"] = timezone.now() - timedelta(minutes=1)
    values = {"name": "Script", "scope": "read", **arguments}

    with pytest.raises(ValidationError) as raised:
        api_token_create(user=owner, **values)

    assert field in raised.value.message_dict
    assert not ApiToken.objects.exists()


def test_an_account_holds_at_most_the_limit_and_revoking_frees_a_place(owner):
    tokens = [
        api_token_create(user=owner, name=f"Script {n}", scope="read")[0]
        for n in range(API_TOKEN_LIMIT)
    ]

    with pytest.raises(ValidationError) as raised:
        api_token_create(user=owner, name="One too many", scope="read")
    assert "Revoke one you no longer use" in " ".join(raised.value.messages)

    api_token_revoke(user=owner, token=tokens[0])
    api_token, _secret = api_token_create(user=owner, name="Replacement", scope="read")
    assert api_token.name == "Replacement"


def test_expired_tokens_do_not_count_towards_the_limit(owner):
    for n in range(API_TOKEN_LIMIT):
        api_token_create(user=owner, name=f"Script {n}", scope="read")
    ApiToken.objects.filter(user=owner).update(expires_at=timezone.now() - timedelta(days=1))

    api_token, _secret = api_token_create(user=owner, name="Fresh", scope="read")

    assert api_token.is_usable


def test_another_user_cannot_revoke_my_token(owner, approved):
    api_token, secret = api_token_create(user=owner, name="Mine", scope="read")
    someone_else = approved(username="someone")

    with pytest.raises(PermissionDenied):
        api_token_revoke(user=someone_else, token=api_token)

    assert api_token_authenticate(token=secret).revoked_at is None


def test_a_moderator_cannot_revoke_someone_elses_token(owner, moderator):
    api_token, _secret = api_token_create(user=owner, name="Mine", scope="read")

    with pytest.raises(PermissionDenied):
        api_token_revoke(user=moderator, token=api_token)


def test_a_site_admin_can_revoke_anyones_token(owner, site_admin):
    api_token, secret = api_token_create(user=owner, name="Leaked", scope="read-write")

    revoked = api_token_revoke(user=site_admin, token=api_token)

    assert revoked.revoked_by == site_admin
    with pytest.raises(ApiTokenRefused) as raised:
        api_token_authenticate(token=secret)
    assert raised.value.code == "revoked"


def test_revoking_twice_keeps_the_first_date(owner):
    api_token, _secret = api_token_create(user=owner, name="Mine", scope="read")
    first = api_token_revoke(user=owner, token=api_token).revoked_at

    again = api_token_revoke(user=owner, token=api_token)

    assert again.revoked_at == first


def test_tokens_are_refused_with_a_reason(owner):
    revoked, revoked_secret = api_token_create(user=owner, name="Revoked", scope="read")
    api_token_revoke(user=owner, token=revoked)
    expired, expired_secret = api_token_create(
        user=owner, name="Expired", scope="read", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    _good, good_secret = api_token_create(user=owner, name="Good", scope="read")
    wrong_secret = good_secret[:-4] + ("AAAA" if not good_secret.endswith("AAAA") else "BBBB")
    unknown_key = "stk_000000000000_" + good_secret.split("_", 2)[2]
    cases = {
        "malformed": ["", "stk_", "Bearer " + good_secret, good_secret + "x", "stk_abc\x00_x"],
        "invalid": [wrong_secret, unknown_key],
        "revoked": [revoked_secret],
        "expired": [expired_secret],
    }

    for code, secrets in cases.items():
        for secret in secrets:
            with pytest.raises(ApiTokenRefused) as raised:
                api_token_authenticate(token=secret)
            assert raised.value.code == code, secret
            assert str(raised.value)


def test_a_disabled_accounts_tokens_are_refused(owner):
    _api_token, secret = api_token_create(user=owner, name="Script", scope="read")
    User.objects.filter(pk=owner.pk).update(is_active=False)

    with pytest.raises(ApiTokenRefused) as raised:
        api_token_authenticate(token=secret)

    assert raised.value.code == "inactive"


def test_tokens_stop_working_when_a_moderator_rejects_the_account(owner, moderator):
    _api_token, secret = api_token_create(user=owner, name="Script", scope="read")

    user_screen(moderator=moderator, user=owner, approve=False)

    with pytest.raises(ApiTokenRefused) as raised:
        api_token_authenticate(token=secret)
    assert raised.value.code == "not_approved"


def test_last_use_is_recorded_at_most_once_a_minute(owner, django_assert_num_queries):
    api_token, secret = api_token_create(user=owner, name="Script", scope="read")
    assert api_token.last_used_at is None

    with django_assert_num_queries(2):  # the lookup, then the update
        first = api_token_authenticate(token=secret).last_used_at
    with django_assert_num_queries(1):  # the lookup only
        assert api_token_authenticate(token=secret).last_used_at == first

    earlier = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=earlier)
    assert api_token_authenticate(token=secret).last_used_at > earlier
    assert ApiToken.objects.get(pk=api_token.pk).last_used_at > earlier


def test_the_list_shows_tokens_in_force_first(owner):
    old, _ = api_token_create(user=owner, name="Old", scope="read")
    revoked, _ = api_token_create(user=owner, name="Revoked", scope="read")
    api_token_revoke(user=owner, token=revoked)
    new, _ = api_token_create(user=owner, name="New", scope="read")

    assert list(user_api_tokens(user=owner)) == [new, old, revoked]


# --- Profile page ---------------------------------------------------------------------------


def test_the_profile_lists_tokens_without_their_secrets(client, owner):
    _api_token, secret = api_token_create(user=owner, name="Reporting script", scope="read")
    log_in(client, owner)

    response = client.get(PROFILE)

    assert response.status_code == 200
    assert "Reporting script" in response.text
    assert "Read only" in response.text
    assert secret not in response.text
    assert secret.split("_", 2)[2] not in response.text
    assert 'action="/en/accounts/profile/api-tokens/"' in response.text


def test_the_profile_reads_tokens_in_one_query_however_many(client, owner):
    log_in(client, owner)
    api_token_create(user=owner, name="First", scope="read")
    client.get(PROFILE)  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(PROFILE)
    for n in range(5):
        api_token_create(user=owner, name=f"Script {n}", scope="read")

    with CaptureQueriesContext(connection) as six:
        response = client.get(PROFILE)

    assert response.text.count("<td>Script ") == 5
    assert len(six.captured_queries) == len(one.captured_queries)


def test_creating_a_token_on_the_profile_shows_it_once(owner):
    client = csrf_client(owner)

    refused = client.post(CREATE, {"token-name": "Script", "token-scope": "read"})
    assert refused.status_code == 403
    assert not ApiToken.objects.exists()

    response = client.post(
        CREATE,
        {
            "csrfmiddlewaretoken": csrf_token(client),
            "token-name": "Nightly export",
            "token-scope": "read-write",
            "token-expires_in": "30",
        },
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    api_token = ApiToken.objects.get()
    assert (api_token.user, api_token.name, api_token.scope) == (
        owner,
        "Nightly export",
        ApiTokenScope.READ_WRITE,
    )
    assert api_token.expires_at - timezone.now() > timedelta(days=29)
    secret = response.context["secret"]
    assert f'value="{secret}"' in response.text
    assert "It will not be shown again" in response.text
    assert api_token_authenticate(token=secret) == api_token
    assert secret not in client.get(PROFILE).text


def test_a_token_without_expiry_can_be_created(client, owner):
    log_in(client, owner)

    client.post(CREATE, {"token-name": "Forever", "token-scope": "read", "token-expires_in": ""})

    assert ApiToken.objects.get().expires_at is None


def test_an_invalid_token_form_is_shown_again_with_errors(client, owner):
    log_in(client, owner)

    response = client.post(CREATE, {"token-name": "", "token-scope": "everything"})

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert not ApiToken.objects.exists()


def test_the_limit_is_explained_on_the_profile(client, owner):
    for n in range(API_TOKEN_LIMIT):
        api_token_create(user=owner, name=f"Script {n}", scope="read")
    log_in(client, owner)

    response = client.post(CREATE, {"token-name": "More", "token-scope": "read"})

    assert response.status_code == 400
    assert "the most one account can hold" in response.text
    assert ApiToken.objects.count() == API_TOKEN_LIMIT


def test_an_unscreened_account_is_told_why_and_refused(client, make_user):
    user = make_user()
    log_in(client, user)

    page = client.get(PROFILE)
    assert "once a moderator has approved your account" in page.text
    assert 'action="/en/accounts/profile/api-tokens/"' not in page.text

    response = client.post(CREATE, {"token-name": "Script", "token-scope": "read"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.post(CREATE, {"token-name": "Script", "token-scope": "read"})

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert not ApiToken.objects.exists()


def test_revoking_asks_for_confirmation_then_needs_the_csrf_token(owner):
    api_token, secret = api_token_create(user=owner, name="Old laptop", scope="read")
    client = csrf_client(owner)

    confirmation = client.get(revoke_url(api_token))
    assert confirmation.status_code == 200
    assert "Old laptop" in confirmation.text
    assert "cannot be undone" in confirmation.text
    assert ApiToken.objects.get(pk=api_token.pk).revoked_at is None

    assert client.post(revoke_url(api_token)).status_code == 403
    assert ApiToken.objects.get(pk=api_token.pk).revoked_at is None

    response = client.post(revoke_url(api_token), {"csrfmiddlewaretoken": csrf_token(client)})
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    assert ApiToken.objects.get(pk=api_token.pk).revoked_by == owner
    with pytest.raises(ApiTokenRefused):
        api_token_authenticate(token=secret)
    assert "is revoked" in client.get(PROFILE).text


def test_nobody_reaches_someone_elses_token_from_their_profile(client, owner, approved):
    api_token, _secret = api_token_create(user=owner, name="Mine", scope="read")
    log_in(client, approved(username="intruder"))

    assert client.get(revoke_url(api_token)).status_code == 404
    assert client.post(revoke_url(api_token)).status_code == 404
    assert ApiToken.objects.get(pk=api_token.pk).revoked_at is None


# --- Admin ----------------------------------------------------------------------------------


def test_a_site_admin_revokes_tokens_from_the_admin_through_the_service(client, owner, site_admin):
    api_token, secret = api_token_create(user=owner, name="Leaked", scope="read-write")
    log_in(client, site_admin)

    listing = client.get("/en/admin/accounts/apitoken/")
    assert listing.status_code == 200
    assert api_token.key_id in listing.text
    assert secret.split("_", 2)[2] not in listing.text
    assert client.get("/en/admin/accounts/apitoken/add/").status_code == 403

    response = client.post(
        "/en/admin/accounts/apitoken/",
        {"action": "revoke_api_tokens", "_selected_action": [api_token.pk]},
    )

    assert response.status_code == 302
    assert ApiToken.objects.get(pk=api_token.pk).revoked_by == site_admin
