"""The yearly call for updates: the send_update_reminders command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from stocktake.initiatives import services
from stocktake.initiatives.tests.test_moderation_support import (
    at,
    make_org,
    make_person,
    make_published,
)

pytestmark = pytest.mark.usefixtures("vocabularies")


def remind() -> str:
    out = StringIO()
    call_command("send_update_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def entries():
    """Two published entries, one confirmed 13 months ago and one 10 months ago."""
    moderator = make_person(moderator=True)
    stale_owner = make_person(email="stale-owner@example.org")
    fresh_owner = make_person(email="fresh-owner@example.org")
    now = timezone.now()
    with at(now - timedelta(days=395)):
        stale = make_published(
            author=stale_owner,
            organisation=make_org(members=[stale_owner]),
            moderator=moderator,
            title={"en": "Old programme"},
        )
    with at(now - timedelta(days=300)):
        fresh = make_published(
            author=fresh_owner,
            organisation=make_org(members=[fresh_owner]),
            moderator=moderator,
            title={"en": "Recent programme"},
        )
    return {"stale": stale, "fresh": fresh, "now": now}


def test_reminds_only_owners_of_entries_not_confirmed_for_twelve_months(entries, mailoutbox):
    assert remind().strip() == "Reminded the owners of 1 entry."
    assert [message.to for message in mailoutbox] == [["stale-owner@example.org"]]
    assert "Old programme" in mailoutbox[0].subject
    entries["stale"].refresh_from_db()
    assert entries["stale"].last_reminded_at is not None
    entries["fresh"].refresh_from_db()
    assert entries["fresh"].last_reminded_at is None


def test_does_not_remind_twice_within_thirty_days(entries, mailoutbox):
    remind()
    assert remind().strip() == "Reminded the owners of 0 entries."
    with at(entries["now"] + timedelta(days=29)):
        remind()
    assert len(mailoutbox) == 1
    # A month on, the entry is still unconfirmed: its owners hear again.
    with at(entries["now"] + timedelta(days=31)):
        assert remind().strip() == "Reminded the owners of 1 entry."
    assert len(mailoutbox) == 2


def test_confirming_an_entry_stops_the_reminders(entries, mailoutbox):
    stale = entries["stale"]
    owner = stale.organisation.memberships.get().user
    services.initiative_confirm_current(user=owner, initiative=stale)
    assert remind().strip() == "Reminded the owners of 0 entries."
    assert mailoutbox == []
