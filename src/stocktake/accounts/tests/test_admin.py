import pytest

from stocktake.accounts.models import ScreeningStatus

from .support import log_in


@pytest.mark.django_db
def test_admin_lists_users_filtered_by_screening_status_and_moderator_flag(
    client, site_admin, make_user
):
    waiting = make_user()
    log_in(client, site_admin)

    listing = client.get("/en/admin/accounts/user/?screening_status__exact=pending")
    moderators = client.get("/en/admin/accounts/user/?is_moderator__exact=1")

    assert listing.status_code == moderators.status_code == 200
    assert waiting.username in listing.text
    assert waiting.username not in moderators.text


@pytest.mark.django_db
def test_admin_change_and_add_pages_show_the_stocktake_fields(client, site_admin, make_user):
    user = make_user()
    log_in(client, site_admin)

    change = client.get(f"/en/admin/accounts/user/{user.pk}/change/")
    add = client.get("/en/admin/accounts/user/add/")

    assert change.status_code == add.status_code == 200
    for field in ["registration_note", "screening_status", "is_moderator", "preferred_language"]:
        assert f'name="{field}"' in change.text
    assert 'name="email"' in add.text


@pytest.mark.django_db
def test_admin_action_screens_through_the_service_and_emails_the_owner(
    client, site_admin, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user()
    log_in(client, site_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/admin/accounts/user/",
            {"action": "approve_accounts", "_selected_action": [user.pk]},
        )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.screening_status == ScreeningStatus.APPROVED
    assert user.screened_by == site_admin
    assert [message.to for message in mailoutbox] == [[user.email]]
