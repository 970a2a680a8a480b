import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stocktake.accounts.models import ScreeningStatus, User
from stocktake.accounts.selectors import user_screening_queue
from stocktake.accounts.services import user_screen

from .support import log_in


def decide(client, user: User, decision: str, note: str = ""):
    prefix = f"user-{user.pk}"
    return client.post(
        f"/en/accounts/screening/{user.pk}/",
        {f"{prefix}-decision": decision, f"{prefix}-note": note},
    )


@pytest.mark.django_db
def test_moderator_approves_an_account_and_its_owner_is_emailed(
    client, make_user, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = make_user(email="applicant@example.org", language="fr")
    log_in(client, moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, applicant, "approve", note="Welcome aboard.")

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/screening/"
    applicant.refresh_from_db()
    assert applicant.is_screened
    assert applicant.screened_by == moderator
    assert applicant.screened_at is not None
    assert applicant.screening_note == "Welcome aboard."
    assert [message.to for message in mailoutbox] == [["applicant@example.org"]]
    assert "Welcome aboard." in mailoutbox[0].body
    # Written in the applicant's language, so the link opens the site in it.
    assert "http://testserver/fr/accounts/profile/" in mailoutbox[0].body
    assert "approved" in client.get("/en/accounts/screening/").text


@pytest.mark.django_db
def test_moderator_rejects_an_account_and_its_owner_is_emailed_the_note(
    client, make_user, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = make_user()
    log_in(client, moderator)

    with django_capture_on_commit_callbacks(execute=True):
        decide(client, applicant, "reject", note="We could not verify the organisation.")

    applicant.refresh_from_db()
    assert applicant.screening_status == ScreeningStatus.REJECTED
    assert not applicant.is_screened
    assert "We could not verify the organisation." in mailoutbox[0].body


@pytest.mark.django_db
def test_screening_queue_shows_confirmed_waiting_accounts_oldest_first_with_their_note(
    client, make_user, moderator
):
    first = make_user(first_name="First")
    second = make_user(first_name="Second")
    unconfirmed = make_user(first_name="Unconfirmed", confirmed=False)
    approved = make_user(first_name="Approved")
    user_screen(moderator=moderator, user=approved, approve=True)
    log_in(client, moderator)

    response = client.get("/en/accounts/screening/")

    assert response.status_code == 200
    assert list(user_screening_queue()) == [first, second]
    text = response.text
    assert text.index(first.username) < text.index(second.username)
    assert unconfirmed.username not in text
    assert approved.username not in text
    assert "Ministry of Digital Economy, policy officer." in text
    assert 'name="csrfmiddlewaretoken"' in text


@pytest.mark.django_db
def test_screening_queue_takes_the_same_number_of_queries_however_long(
    client, make_user, moderator, django_assert_max_num_queries
):
    log_in(client, moderator)
    make_user()
    with django_assert_max_num_queries(8) as short:
        client.get("/en/accounts/screening/")
    for _ in range(10):
        make_user()
    with django_assert_max_num_queries(len(short.captured_queries)):
        client.get("/en/accounts/screening/")


@pytest.mark.django_db
def test_screening_page_is_forbidden_to_people_who_are_not_moderators(client, make_user):
    log_in(client, make_user())

    response = client.get("/en/accounts/screening/")

    assert response.status_code == 403
    assert "Only moderators can screen accounts." in response.text


@pytest.mark.django_db
def test_screening_decision_is_forbidden_to_people_who_are_not_moderators(client, make_user):
    applicant = make_user()
    log_in(client, make_user())

    response = decide(client, applicant, "approve")

    assert response.status_code == 403
    applicant.refresh_from_db()
    assert applicant.screening_status == ScreeningStatus.PENDING


@pytest.mark.django_db
def test_screening_page_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/en/accounts/screening/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


@pytest.mark.django_db
def test_screening_decision_needs_a_post(client, moderator, make_user):
    log_in(client, moderator)

    assert client.get(f"/en/accounts/screening/{make_user().pk}/").status_code == 405


@pytest.mark.django_db
def test_service_refuses_a_screening_by_someone_who_is_not_a_moderator(make_user):
    applicant, someone = make_user(), make_user()

    with pytest.raises(PermissionDenied, match="Only moderators can screen accounts"):
        user_screen(moderator=someone, user=applicant, approve=True)

    applicant.refresh_from_db()
    assert applicant.screening_status == ScreeningStatus.PENDING


@pytest.mark.django_db
def test_a_moderator_cannot_screen_their_own_account(make_user, site_admin):
    # A moderator whose own account is still waiting.
    pending_moderator = make_user()
    User.objects.filter(pk=pending_moderator.pk).update(is_moderator=True)
    pending_moderator.refresh_from_db()

    with pytest.raises(PermissionDenied, match="cannot screen your own account"):
        user_screen(moderator=pending_moderator, user=pending_moderator, approve=True)

    assert not User.objects.get(pk=pending_moderator.pk).is_screened


@pytest.mark.django_db
def test_the_queue_offers_no_decision_on_the_moderators_own_account(client, make_user):
    pending_moderator = make_user()
    User.objects.filter(pk=pending_moderator.pk).update(is_moderator=True)
    log_in(client, pending_moderator)

    response = client.get("/en/accounts/screening/")
    refused = decide(client, pending_moderator, "approve")

    assert "another moderator must screen it" in response.text
    assert f"/en/accounts/screening/{pending_moderator.pk}/" not in response.text
    assert refused.status_code == 403


@pytest.mark.django_db
def test_an_account_that_has_not_confirmed_its_address_cannot_be_screened(make_user, moderator):
    applicant = make_user(confirmed=False)

    with pytest.raises(ValidationError):
        user_screen(moderator=moderator, user=applicant, approve=True)


@pytest.mark.django_db
def test_an_unknown_account_number_is_not_found(client, moderator):
    log_in(client, moderator)

    response = client.post("/en/accounts/screening/999999/", {"user-999999-decision": "approve"})

    assert response.status_code == 404


@pytest.mark.django_db
def test_a_decision_without_approve_or_reject_is_refused(client, make_user, moderator):
    applicant = make_user()
    log_in(client, moderator)

    response = decide(client, applicant, "maybe")

    assert response.status_code == 400
    assert "Choose to approve or to reject the account." in response.text
