from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from stocktake.initiatives.demo import DEMO_ACCOUNTS, load_demo


class Command(BaseCommand):
    help = "Load the demo organisations, accounts and entries (development only). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off (never in production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo data creates accounts with published passwords: it only loads with "
                "DEBUG on (or --force on a throwaway database)."
            )
        # Demo transitions would each e-mail the demo accounts: keep the console readable.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            counts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {counts['initiatives']} new entries, "
                f"{counts['organisations']} organisations."
            )
        )
        self.stdout.write("Demo accounts (local use only): username / password, role")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username} / {account.password}, {account.description}")
