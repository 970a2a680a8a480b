from django.core.management.base import BaseCommand
from tqdm import tqdm

from stocktake.initiatives.selectors import published_initiatives
from stocktake.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the published entries."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, batch_size, no_progress, **options):
        total = published_initiatives().count()
        with tqdm(total=total, unit="entries", disable=no_progress) as bar:
            indexed = search_index_rebuild(batch_size=max(1, batch_size), progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} published entries."))
