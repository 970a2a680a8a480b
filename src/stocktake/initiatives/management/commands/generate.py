from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from stocktake.initiatives.generator import generate
from stocktake.vocabularies.models import Scheme


class Command(BaseCommand):
    help = "Create N synthetic entries with realistic distributions (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many entries.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (repeatable runs).")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, count, seed, batch_size, no_progress, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if not Scheme.objects.filter(identifier="wsis-action-lines").exists():
            raise CommandError("Load the vocabularies first: stocktake load_vocabularies")
        with tqdm(total=count, unit="entries", disable=no_progress) as bar:
            made = generate(count=count, seed=seed, batch_size=batch_size, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Generated {made} entries."))
