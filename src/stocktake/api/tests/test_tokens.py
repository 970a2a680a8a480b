"""Personal API tokens on the API: Bearer authentication, token scopes, rate limits, and the
problem details callers get when any of them refuses a request."""

import json
from datetime import timedelta
from itertools import count

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone, translation
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from stocktake.accounts.models import ApiToken, User
from stocktake.accounts.services import (
    ApiTokenRefused,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    user_confirm_email,
    user_register,
    user_screen,
)
from stocktake.accounts.tokens import confirmation_token_make
from stocktake.api.authentication import ApiTokenAuthentication
from stocktake.api.permissions import TokenScope
from stocktake.api.problems import PROBLEM_CONTENT_TYPE
from stocktake.api.throttling import (
    AnonymousAddressThrottle,
    ApiTokenThrottle,
    UserThrottle,
)
from stocktake.settings import base as base_settings

factory = APIRequestFactory()
_numbers = count(1)


# --- Test-only views: one that reads, one that writes ---------------------------------------


class Echo(APIView):
    """Says who the request was authenticated as. Anyone may read or write, as with the
    API's defaults (AllowAny beside TokenScope)."""

    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny, TokenScope]
    throttle_classes = []

    def get(self, request):
        return Response(
            {
                "user": getattr(request.user, "username", None),
                "token": request.auth.pk if isinstance(request.auth, ApiToken) else None,
            }
        )

    post = get


class Write(Echo):
    """A write endpoint as the API declares them."""

    permission_classes = [IsAuthenticated, TokenScope]


class Throttled(Echo):
    throttle_classes = [AnonymousAddressThrottle, ApiTokenThrottle, UserThrottle]


def call(view, method="get", *, token=None, address="192.0.2.10", **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    request = getattr(factory, method)("/test/", REMOTE_ADDR=address, **headers)
    response = view.as_view()(request)
    response.render()
    response.json = lambda: json.loads(response.content)
    return response


# --- People and tokens, made through the services --------------------------------------------


@pytest.fixture
def site_admin(db) -> User:
    return User.objects.create_superuser(
        username="admin", email="admin@example.org", password="correct-horse-battery"
    )


@pytest.fixture
def approved(site_admin):
    def make() -> User:
        number = next(_numbers)
        user = user_register(
            username=f"caller{number}",
            email=f"caller{number}@example.org",
            password="correct-horse-battery-staple",
            first_name="Karim",
            preferred_language="en",
            registration_note="Statistics office, data analyst.",
        )
        user = user_confirm_email(token=confirmation_token_make(user=user))
        return user_screen(moderator=site_admin, user=user, approve=True)

    return make


@pytest.fixture
def owner(approved) -> User:
    return approved()


@pytest.fixture
def make_token(owner):
    def make(scope: str = "read", *, user: User | None = None) -> tuple[ApiToken, str]:
        return api_token_create(user=user or owner, name="Script", scope=scope)

    return make


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


# --- Authentication ---------------------------------------------------------------------------


def test_a_valid_token_authenticates_as_its_owner(owner, make_token):
    api_token, secret = make_token()

    response = call(Echo, token=secret)

    assert response.status_code == 200
    assert response.data == {"user": owner.username, "token": api_token.pk}
    assert ApiToken.objects.get(pk=api_token.pk).last_used_at is not None


def test_the_keyword_is_case_insensitive(make_token):
    _api_token, secret = make_token()

    response = call(Echo, HTTP_AUTHORIZATION=f"bearer {secret}")

    assert response.status_code == 200


def assert_unauthorized_problem(response, *, detail: str | None = None):
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["status"] == 401
    assert body["title"]
    assert body["detail"]
    if detail is not None:
        assert body["detail"] == detail
    assert response["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'


def refusal_of(secret: str) -> str:
    with pytest.raises(ApiTokenRefused) as raised:
        api_token_authenticate(token=secret)
    return str(raised.value)


@pytest.mark.parametrize("case", ["unknown", "wrong secret", "malformed", "revoked", "expired"])
def test_unusable_tokens_get_a_401_problem_saying_why(owner, make_token, case):
    api_token, secret = make_token()
    if case == "unknown":
        secret = "stk_ffffffffffff_" + secret.split("_", 2)[2]
    elif case == "wrong secret":
        secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    elif case == "malformed":
        secret = "not-a-token"
    elif case == "revoked":
        api_token_revoke(user=owner, token=api_token)
    elif case == "expired":
        ApiToken.objects.filter(pk=api_token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )

    response = call(Echo, token=secret)

    assert_unauthorized_problem(response, detail=refusal_of(secret))


def test_a_disabled_accounts_token_gets_a_401_problem(owner, make_token):
    _api_token, secret = make_token()
    User.objects.filter(pk=owner.pk).update(is_active=False)

    assert_unauthorized_problem(call(Echo, token=secret), detail=refusal_of(secret))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer a b", "Bearer stk_\u00e9\u00e9", "Bearer stk_abc\x00def"],
)
def test_a_broken_bearer_header_gets_a_401_problem(db, header):
    assert_unauthorized_problem(call(Echo, HTTP_AUTHORIZATION=header))


def test_the_reasons_differ(owner, make_token):
    revoked, revoked_secret = make_token()
    api_token_revoke(user=owner, token=revoked)

    details = {
        call(Echo, token=secret).json()["detail"]
        for secret in ("nonsense", revoked_secret, "stk_ffffffffffff_" + "A" * 43)
    }

    assert len(details) == 3


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(alphabet=st.characters(max_codepoint=255), max_size=200))
def test_no_authorization_header_causes_a_server_error(value):
    """Whatever follows Bearer (any byte a server can pass on), the answer is a 401."""
    response = call(Echo, HTTP_AUTHORIZATION=f"Bearer {value}")

    assert response.status_code == 401


def test_other_schemes_are_left_to_the_other_authentication_classes(db):
    response = call(Echo, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    assert response.status_code == 200
    assert response.data == {"user": "", "token": None}


def test_a_write_endpoint_without_credentials_challenges_for_a_bearer_token(db):
    response = call(Write, "post")

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


# --- Scopes -------------------------------------------------------------------------------------


def test_a_read_only_token_reads_but_cannot_write(make_token):
    _api_token, secret = make_token("read")

    assert call(Write, "get", token=secret).status_code == 200
    response = call(Write, "post", token=secret)

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response.json()["detail"] == str(TokenScope.message)
    for method in ("put", "patch", "delete"):
        assert call(Write, method, token=secret).status_code == 403


def test_a_read_write_token_can_write(make_token):
    api_token, secret = make_token("read-write")

    response = call(Write, "post", token=secret)

    assert response.status_code == 200
    assert response.data["token"] == api_token.pk


def test_the_scope_check_does_not_stop_anonymous_callers(db):
    """TokenScope sits in the defaults beside AllowAny: it must not lock anyone out."""
    assert call(Echo, "get").status_code == 200
    assert call(Echo, "post").status_code == 200


def test_the_defaults_authenticate_by_token_first_and_check_scopes():
    rest = base_settings.REST_FRAMEWORK
    assert rest["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "stocktake.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ]
    assert rest["DEFAULT_PERMISSION_CLASSES"] == [
        "rest_framework.permissions.AllowAny",
        "stocktake.api.permissions.TokenScope",
    ]
    assert rest["DEFAULT_THROTTLE_CLASSES"] == [
        "stocktake.api.throttling.AnonymousAddressThrottle",
        "stocktake.api.throttling.ApiTokenThrottle",
        "stocktake.api.throttling.UserThrottle",
    ]


# --- Rate limits ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["lots", "100/min", "/minute", "-5/minute", "10/fortnight"])
def test_a_badly_written_rate_stops_the_app_with_a_clear_message(monkeypatch, value):
    monkeypatch.setenv("API_TOKEN_RATE", value)

    with pytest.raises(ImproperlyConfigured, match=r"API_TOKEN_RATE .* for example 120/minute"):
        base_settings._api_rate_from_env("API_TOKEN_RATE", "600/minute")


def test_the_number_of_proxies_must_be_a_whole_number(monkeypatch):
    monkeypatch.setenv("API_NUM_PROXIES", "yes")
    with pytest.raises(ImproperlyConfigured, match="API_NUM_PROXIES"):
        base_settings._api_num_proxies_from_env()

    monkeypatch.setenv("API_NUM_PROXIES", "2")
    assert base_settings._api_num_proxies_from_env() == 2


def rates(*, anon="1000/minute", token="1000/minute", user="1000/minute", num_proxies=0):  # noqa: S107
    """Rate-limit settings for one test (the test settings turn throttling off)."""
    return override_settings(
        REST_FRAMEWORK={
            **base_settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "token": token, "user": user},
            "NUM_PROXIES": num_proxies,
        }
    )


def test_each_token_has_its_own_budget(owner, make_token):
    _first, first_secret = make_token()
    _second, second_secret = make_token()

    with rates(token="2/minute"):
        assert [call(Throttled, token=first_secret).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        assert call(Throttled, token=second_secret).status_code == 200


def test_an_accounts_tokens_share_the_accounts_budget(owner, approved, make_token):
    _first, first_secret = make_token()
    _second, second_secret = make_token()
    _other, other_secret = make_token(user=approved())

    with rates(token="100/minute", user="2/minute"):
        assert call(Throttled, token=first_secret).status_code == 200
        assert call(Throttled, token=second_secret).status_code == 200
        assert call(Throttled, token=first_secret).status_code == 429
        assert call(Throttled, token=other_secret).status_code == 200


def test_a_throttled_caller_gets_a_429_problem_with_retry_after(make_token):
    _api_token, secret = make_token()

    with rates(token="1/minute"):
        call(Throttled, token=secret)
        response = call(Throttled, token=secret)

    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response.json()["status"] == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_anonymous_callers_are_limited_per_address(make_token):
    _api_token, secret = make_token()

    with rates(anon="2/minute"):
        assert [call(Throttled, address="192.0.2.1").status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        assert call(Throttled, address="192.0.2.2").status_code == 200
        # A token's requests do not spend the address's anonymous budget, nor the reverse.
        assert call(Throttled, address="192.0.2.1", token=secret).status_code == 200


def test_a_forged_forwarded_for_header_does_not_buy_a_new_budget(db):
    with rates(anon="1/minute"):
        assert call(Throttled, address="192.0.2.1").status_code == 200
        response = call(Throttled, address="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 429


def test_behind_a_proxy_the_address_it_forwards_is_limited(db):
    with rates(anon="1/minute", num_proxies=1):
        proxy = "10.0.0.1"
        first = call(Throttled, address=proxy, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
        again = call(Throttled, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
        other = call(Throttled, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert (first.status_code, again.status_code, other.status_code) == (200, 429, 200)


def test_an_ipv6_64_counts_as_one_address(db):
    with rates(anon="1/minute"):
        assert call(Throttled, address="2001:db8:1:2::1").status_code == 200
        assert call(Throttled, address="2001:db8:1:2:ffff::9").status_code == 429
        assert call(Throttled, address="2001:db8:1:3::1").status_code == 200


def test_a_garbage_forwarded_address_is_still_counted(db):
    garbage = "not an address " * 40
    with rates(anon="1/minute", num_proxies=1):
        assert call(Throttled, HTTP_X_FORWARDED_FOR=garbage).status_code == 200
        assert call(Throttled, HTTP_X_FORWARDED_FOR=garbage).status_code == 429


# --- Through the real API: language, and the OpenAPI document ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_401_problem_is_in_the_language_asked_for(client, language):
    response = client.get(
        "/api/v1/vocabularies/",
        HTTP_AUTHORIZATION="Bearer stk_ffffffffffff_" + "A" * 43,
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 401
    assert response["Content-Language"] == language
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    # DRF's own title is translated already: the language reached the error handler.
    with translation.override(language):
        title = str(exceptions.AuthenticationFailed.default_detail)
    with translation.override("en"):
        english = str(exceptions.AuthenticationFailed.default_detail)
    assert title != english
    assert response.json()["title"] == title


@pytest.mark.django_db
def test_a_valid_token_reads_the_real_api(client, make_token):
    _api_token, secret = make_token()

    response = client.get("/api/v1/vocabularies/", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200


def test_the_openapi_document_declares_the_bearer_scheme():
    document = SchemaGenerator().get_schema(request=None, public=True)

    scheme = document["components"]["securitySchemes"]["apiToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    security = document["paths"]["/api/v1/vocabularies/"]["get"]["security"]
    assert {"apiToken": []} in security
    assert {} in security, "public reads must stay open to anonymous callers"
