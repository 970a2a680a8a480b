"""The yearly call for updates: the reminders task, the send_update_reminders command, and
what happens when an e-mail cannot be sent."""

import logging
import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from stocktake.initiatives import services
from stocktake.initiatives.tasks import send_update_reminders_task
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


# --- the task, and one bad address among many ------------------------------------------------

BOUNCING = "@bounce.invalid"


class BouncingBackend(EmailBackend):
    """The locmem backend, except that the server refuses addresses at bounce.invalid."""

    def send_messages(self, messages):
        for message in messages:
            refused = [address for address in message.recipients() if address.endswith(BOUNCING)]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"No such user") for address in refused}
                )
        return super().send_messages(messages)


@pytest.fixture
def three_stale(settings):
    """Three entries not confirmed for 13 months; the owner of the middle one has an address
    the mail server refuses."""
    settings.EMAIL_BACKEND = f"{__name__}.BouncingBackend"
    moderator = make_person(moderator=True)
    entries = []
    with at(timezone.now() - timedelta(days=395)):
        for name, email in (
            ("first", "first@example.org"),
            ("bouncing", f"gone{BOUNCING}"),
            ("last", "last@example.org"),
        ):
            owner = make_person(email=email)
            entries.append(
                make_published(
                    author=owner,
                    organisation=make_org(members=[owner]),
                    moderator=moderator,
                    title={"en": f"The {name} programme"},
                )
            )
    return entries


def test_the_task_sends_the_reminders_and_reports_the_counts(entries, mailoutbox):
    result = send_update_reminders_task.enqueue()
    assert result.return_value == {"reminded": 1, "failed": 0, "failed_ids": []}
    assert [message.to for message in mailoutbox] == [["stale-owner@example.org"]]
    # Run again (as the daily timer would): nothing more within the month.
    assert send_update_reminders_task.enqueue().return_value["reminded"] == 0


def test_one_bad_address_does_not_stop_the_other_reminders(three_stale, mailoutbox, caplog):
    first, bouncing, last = three_stale
    with caplog.at_level(logging.ERROR, logger="stocktake.initiatives.services"):
        result = send_update_reminders_task.enqueue()
    assert result.return_value == {"reminded": 2, "failed": 1, "failed_ids": [bouncing.pk]}
    assert sorted(message.to[0] for message in mailoutbox) == [
        "first@example.org",
        "last@example.org",
    ]
    # The failure is logged with the entry and the error, for whoever reads the logs.
    [record] = [r for r in caplog.records if r.name == "stocktake.initiatives.services"]
    assert str(bouncing.pk) in record.getMessage()
    assert record.exc_info and record.exc_info[0] is smtplib.SMTPRecipientsRefused
    # The entry whose reminder failed is not marked as reminded: the next run tries again.
    for entry in three_stale:
        entry.refresh_from_db()
    assert first.last_reminded_at and last.last_reminded_at
    assert bouncing.last_reminded_at is None


def test_a_failed_reminder_is_tried_again_on_the_next_run(three_stale, settings, mailoutbox):
    _first, bouncing, _last = three_stale
    assert services.initiative_send_update_reminders().failed == [bouncing.pk]
    # The owner fixes their address; the next daily run reaches them, and only them.
    owner = bouncing.organisation.memberships.get().user
    owner.email = "back@example.org"
    owner.save(update_fields=["email"])
    mailoutbox.clear()
    report = services.initiative_send_update_reminders()
    assert (report.reminded, report.failed) == (1, [])
    assert [message.to for message in mailoutbox] == [["back@example.org"]]


def test_the_command_reports_failures_with_a_non_zero_exit(three_stale, mailoutbox):
    out = StringIO()
    with pytest.raises(CommandError, match="The reminder for 1 entry could not be sent"):
        call_command("send_update_reminders", stdout=out)
    assert out.getvalue().strip() == "Reminded the owners of 2 entries."
    assert len(mailoutbox) == 2


def test_the_command_can_queue_the_reminders_for_the_worker(entries, mailoutbox):
    out = StringIO()
    call_command("send_update_reminders", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Queued the update reminders for the background worker")
    # The test settings run queued tasks at once.
    assert [message.to for message in mailoutbox] == [["stale-owner@example.org"]]


def test_two_rounds_at_once_remind_each_entry_once(entries, mailoutbox):
    """A round claims each entry before sending: a second round that started from the same
    list (an overlapping timer and manual run) skips what the first already took."""
    from stocktake.initiatives import notifications

    sent = []
    real = notifications.update_reminder

    def racing(*, initiative_id):
        if not sent:
            sent.append(initiative_id)
            # Another round runs while this one is sending.
            assert services.initiative_send_update_reminders().reminded == 0
        real(initiative_id=initiative_id)

    from unittest import mock

    with mock.patch.object(notifications, "update_reminder", racing):
        assert services.initiative_send_update_reminders().reminded == 1
    assert len(mailoutbox) == 1
