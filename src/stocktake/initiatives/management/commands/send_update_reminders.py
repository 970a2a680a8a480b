"""The yearly call for updates: remind owners of entries not confirmed for twelve months."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from stocktake.initiatives.services import initiative_send_update_reminders


class Command(BaseCommand):
    help = (
        "E-mail the owners of published entries not confirmed for twelve months "
        "(each entry at most once every 30 days)."
    )

    def handle(self, *args, **options):
        count = initiative_send_update_reminders()
        self.stdout.write(
            ngettext(
                "Reminded the owners of %(count)d entry.",
                "Reminded the owners of %(count)d entries.",
                count,
            )
            % {"count": count}
        )
