"""The yearly call for updates: remind owners of entries not confirmed for twelve months.

Run once a day (deploy/ has a systemd timer and a crontab line). By default the reminders
are sent at once and the counts printed; with --enqueue the work is queued for the
background worker (`stocktake db_worker`) instead."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from stocktake.initiatives.services import initiative_send_update_reminders
from stocktake.initiatives.tasks import send_update_reminders_task


class Command(BaseCommand):
    help = (
        "E-mail the owners of published entries not confirmed for twelve months "
        "(each entry at most once every 30 days)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the reminders for the background worker instead of sending them now.",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = send_update_reminders_task.enqueue()
            self.stdout.write(
                gettext("Queued the update reminders for the background worker (task %(id)s).")
                % {"id": result.id}
            )
            return
        report = initiative_send_update_reminders()
        self.stdout.write(
            ngettext(
                "Reminded the owners of %(count)d entry.",
                "Reminded the owners of %(count)d entries.",
                report.reminded,
            )
            % {"count": report.reminded}
        )
        if report.failed:
            # A non-zero exit status, so that cron mails it and systemd marks the run failed.
            raise CommandError(
                ngettext(
                    "The reminder for %(count)d entry could not be sent; it will be tried "
                    "again on the next run (see the log).",
                    "The reminders for %(count)d entries could not be sent; they will be tried "
                    "again on the next run (see the log).",
                    len(report.failed),
                )
                % {"count": len(report.failed)}
            )
